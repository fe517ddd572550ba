/**
 * People as module functions see them: a user row plus the actor
 * ({ id, role }) that is passed to permission checks.
 */
import type { Db } from "../../app/modules/services.server.ts";
import type { Actor } from "../../app/modules/policy/actor.ts";
import { ADMIN_PERSON, MEMBER_PEOPLE, STAFF_PEOPLE } from "./people.ts";
import { createUser, type UserFactoryInput } from "./users.ts";

let next = 0;
const pick = <T>(list: readonly T[]) => list[next++ % list.length]!;

export type Person = Awaited<ReturnType<typeof createUser>> & { actor: Actor };

async function person(db: Db, input: UserFactoryInput): Promise<Person> {
  // Hashing with argon2 is slow: only people who log in get a real password.
  const user = await createUser(db, { passwordHash: input.password ? undefined : "not-a-hash", ...input });
  return { ...user, actor: { id: user.id, role: user.role } };
}

export function createMember(db: Db, input: UserFactoryInput = {}) {
  return person(db, { ...pick(MEMBER_PEOPLE), ...input, role: "member" });
}

export function createStaff(db: Db, input: UserFactoryInput = {}) {
  return person(db, { ...pick(STAFF_PEOPLE), ...input, role: "staff" });
}

export function createAdmin(db: Db, input: UserFactoryInput = {}) {
  return person(db, { ...ADMIN_PERSON, ...input, role: "admin" });
}
