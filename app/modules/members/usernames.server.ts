import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { USERNAME_MAX, usernameBase } from "./usernames";

/**
 * The first free username from a base: "mai", "mai2", "mai3" … The unique
 * index still decides a race; callers retry on P2002.
 */
export async function allocateUsername(db: Db | Tx, source: string) {
  const base = usernameBase(source);
  const taken = new Set(
    (await db.user.findMany({ where: { username: { startsWith: base } }, select: { username: true } })).map((u) => u.username),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}${n}`.slice(0, USERNAME_MAX);
    if (!taken.has(candidate)) return candidate;
  }
}

export async function isUsernameTaken(db: Db | Tx, username: string, exceptUserId?: string) {
  const row = await db.user.findUnique({ where: { username }, select: { id: true } });
  return Boolean(row && row.id !== exceptUserId);
}
