import type { Db } from "../../app/modules/services.server.ts";
import type { Role } from "../../app/generated/prisma/enums.ts";
import { hashPassword } from "../../app/modules/passwords.server.ts";
import { newId } from "../../app/modules/auth/tokens.server.ts";
import { usernameBase } from "../../app/modules/members/usernames.ts";

export interface UserFactoryInput {
  email?: string;
  displayName?: string;
  /** Defaults to the display name's handle plus a random tail, unique without a lookup. */
  username?: string;
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
  const displayName = input.displayName ?? `Test User ${counter}`;
  const tail = id.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 6);
  return db.user.create({
    data: {
      id,
      email: (input.email ?? `user-${id.toLowerCase()}@example.test`).toLowerCase(),
      displayName,
      username: input.username ?? `${usernameBase(displayName).slice(0, 12)}_${tail}`,
      role: input.role ?? "member",
      locale: input.locale ?? "vi",
      passwordHash: input.passwordHash ?? (await hashPassword(input.password ?? "correct horse battery")),
      emailVerifiedAt: input.verified === false ? null : (input.createdAt ?? new Date()),
      accountManagerId: input.accountManagerId ?? null,
      createdAt: input.createdAt,
    },
    select: { id: true, email: true, displayName: true, username: true, role: true, locale: true, accountManagerId: true },
  });
}
