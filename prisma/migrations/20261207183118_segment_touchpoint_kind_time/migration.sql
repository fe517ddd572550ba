-- CreateIndex
CREATE INDEX "Touchpoint_kind_occurredAt_idx" ON "Touchpoint"("kind", "occurredAt" DESC);
