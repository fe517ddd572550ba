-- CreateEnum
CREATE TYPE "OfferKind" AS ENUM ('discount_code', 'free_service', 'gift', 'early_access');

-- CreateEnum
CREATE TYPE "OfferCodeMode" AS ENUM ('shared', 'unique', 'list');

-- CreateTable
CREATE TABLE "Offer" (
    "id" TEXT NOT NULL,
    "titleVi" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "descriptionVi" TEXT NOT NULL,
    "descriptionEn" TEXT NOT NULL,
    "kind" "OfferKind" NOT NULL,
    "codeMode" "OfferCodeMode" NOT NULL,
    "sharedCode" TEXT,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfferCode" (
    "offerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "memberId" TEXT,

    CONSTRAINT "OfferCode_pkey" PRIMARY KEY ("offerId","position")
);

-- CreateTable
CREATE TABLE "OfferGrant" (
    "id" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "code" TEXT,
    "stageAtIssue" "RelationshipStage" NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "issuedById" TEXT,
    "seenAt" TIMESTAMP(3),
    "redeemedAt" TIMESTAMP(3),
    "redeemedById" TEXT,
    "redeemedSource" TEXT,

    CONSTRAINT "OfferGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Offer_createdAt_idx" ON "Offer"("createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "OfferCode_code_key" ON "OfferCode"("code");

-- CreateIndex
CREATE INDEX "OfferCode_offerId_memberId_position_idx" ON "OfferCode"("offerId", "memberId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "OfferGrant_code_key" ON "OfferGrant"("code");

-- CreateIndex
CREATE INDEX "OfferGrant_memberId_issuedAt_idx" ON "OfferGrant"("memberId", "issuedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "OfferGrant_offerId_memberId_key" ON "OfferGrant"("offerId", "memberId");

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferCode" ADD CONSTRAINT "OfferCode_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferGrant" ADD CONSTRAINT "OfferGrant_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferGrant" ADD CONSTRAINT "OfferGrant_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
