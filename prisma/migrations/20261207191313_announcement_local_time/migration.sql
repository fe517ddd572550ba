-- AlterTable
ALTER TABLE "Announcement" ADD COLUMN     "localWall" TEXT;

-- AlterTable
ALTER TABLE "AnnouncementDelivery" ADD COLUMN     "notBefore" TIMESTAMP(3);
