-- DropIndex
DROP INDEX "Touchpoint_kind_occurredAt_idx";

-- CreateIndex
CREATE INDEX "MemberPreference_value_idx" ON "MemberPreference" USING GIN ("value" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Touchpoint_kind_occurredAt_memberId_idx" ON "Touchpoint"("kind", "occurredAt" DESC, "memberId");
