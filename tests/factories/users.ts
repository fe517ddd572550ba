import type { Db } from "../../app/modules/services.server.ts";
import type { Role } from "../../app/generated/prisma/enums.ts";
import { hashPassword } from "../../app/modules/auth/password.server.ts";
import { newId } from "../../app/modules/auth/tokens.server.ts";

export interface UserFactoryInput {
  email?: string;
  displayName?: string;
  role?: Role;
  locale?: string;
  password?: string;
  /** A precomputed hash, to avoid hashing the same password many times. */
  passwordHash?: string;
  verified?: boolean;
  accountManagerId?: string | null;
  createdAt?: Date;
}

let counter = 0;

export async function createUser(db: Db, input: UserFactoryInput = {}) {
  counter += 1;
  const id = newId();
  return db.user.create({
    data: {
      id,
      email: (input.email ?? `user-${id.toLowerCase()}@example.test`).toLowerCase(),
      displayName: input.displayName ?? `Test User ${counter}`,
      role: input.role ?? "member",
      locale: input.locale ?? "vi",
      passwordHash: input.passwordHash ?? (await hashPassword(input.password ?? "correct horse battery")),
      emailVerifiedAt: input.verified === false ? null : (input.createdAt ?? new Date()),
      accountManagerId: input.accountManagerId ?? null,
      createdAt: input.createdAt,
    },
    select: { id: true, email: true, displayName: true, role: true, locale: true, accountManagerId: true },
  });
}
