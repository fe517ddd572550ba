/**
 * Demo data, built from the test factories. Idempotent: it runs only on a
 * database without the demo admin.
 */
import type { Db } from "../app/modules/services.server.ts";
import { hashPassword } from "../app/modules/auth/password.server.ts";
import { createUser } from "../tests/factories/users.ts";
import { ADMIN_PERSON, MEMBER_PEOPLE, STAFF_PEOPLE } from "../tests/factories/people.ts";

export const DEMO_PASSWORD = "rapport-demo";
const DAY = 24 * 60 * 60_000;

export async function seedDemoData(db: Db, now = new Date()) {
  if (await db.user.findUnique({ where: { email: "admin@rapport.local" }, select: { id: true } })) {
    return { created: false };
  }
  // One hash for every demo account: argon2id at OWASP's cost is deliberately slow.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const since = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);

  await createUser(db, { email: "admin@rapport.local", role: "admin", passwordHash, createdAt: since(720), ...ADMIN_PERSON });
  const staff = [];
  for (const [i, person] of STAFF_PEOPLE.entries()) {
    staff.push(
      await createUser(db, {
        email: `staff${i + 1}@rapport.local`,
        role: "staff",
        passwordHash,
        createdAt: since(600 - i * 40),
        ...person,
      }),
    );
  }
  for (const [i, person] of MEMBER_PEOPLE.entries()) {
    await createUser(db, {
      email: `member${i + 1}@rapport.local`,
      role: i === 4 ? "moderator" : "member",
      passwordHash,
      accountManagerId: staff[i % staff.length]!.id,
      createdAt: since(400 - i * 11),
      ...person,
    });
  }
  return { created: true };
}
