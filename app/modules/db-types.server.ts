import type { Prisma } from "~/generated/prisma/client";

/** A Prisma interactive transaction; module writes take one so they compose. */
export type Tx = Prisma.TransactionClient;
