-- AlterTable
ALTER TABLE "AnnouncementDelivery" ADD COLUMN     "emailHeldUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "MemberContactHours" (
    "memberId" TEXT NOT NULL,
    "weekdays" INTEGER[],
    "fromMinute" INTEGER NOT NULL,
    "toMinute" INTEGER NOT NULL,
    "source" "PreferenceSource" NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberContactHours_pkey" PRIMARY KEY ("memberId")
);

-- AddForeignKey
ALTER TABLE "MemberContactHours" ADD CONSTRAINT "MemberContactHours_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
