-- CreateIndex
CREATE INDEX "SearchDocument_createdAt_idx" ON "SearchDocument"("createdAt" DESC);
