-- CreateTable
CREATE TABLE "MailServerStatus" (
    "id" TEXT NOT NULL DEFAULT 'smtp',
    "lastOkAt" TIMESTAMP(3),
    "lastFailedAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "MailServerStatus_pkey" PRIMARY KEY ("id")
);
