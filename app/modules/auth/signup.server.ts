/**
 * Signing up and confirming the address. A visitor has no actor, so these
 * commands are `anonymous` (docs/decisions/017); the session a sign-up opens
 * is Lucia's, after the account committed.
 */
import { z } from "zod";
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import { LOCALES } from "../locales";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { can } from "../policy/can";
import { LIMITS } from "../rate-limit/rate-limit.server";
import { newSortableId } from "../ids.server";
import { allocateUsername, isUsernameTaken } from "../members/usernames.server";
import { hashPassword, isCommonPassword } from "../passwords.server";
import { newId, sha256Hex } from "./tokens.server";
import { SignupSchema } from "./schemas";
import { enqueueAccountMail } from "./account-mail.server";

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
}

/** The staff member with the fewest members: new sign-ups are spread evenly. */
async function leastLoadedAccountManager(tx: Tx) {
  const staff = await tx.user.findMany({
    where: { role: "staff", deletedAt: null },
    select: { id: true, displayName: true, _count: { select: { managedMembers: true } } },
  });
  staff.sort((a, b) => a._count.managedMembers - b._count.managedMembers || a.id.localeCompare(b.id));
  return staff[0] ?? null;
}

const emailTaken = () => fail.onField("emailTaken", "email", "signup.emailTaken");
const usernameTaken = () => fail.onField("usernameTaken", "username", "validation.usernameTaken");
export const passwordCommon = () => fail.onField("passwordCommon", "password", "validation.passwordCommon");

/** The account, its first touchpoints and account manager, and the confirmation mail, in one transaction. */
export const createAccount = defineCommand({
  name: "account.sign_up",
  anonymous: true,
  input: SignupSchema.and(z.object({ locale: z.enum(LOCALES) })),
  limit: (_actor, _input, origin) => ({ key: `signup:ip:${origin.ip ?? ""}`, limit: LIMITS.signupPerIp }),
  async run({ tx, now, touchpoint }, { email, displayName, password, username: chosen, locale }) {
    if (isCommonPassword(password)) return passwordCommon();
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return emailTaken();
    if (chosen && (await isUsernameTaken(tx, chosen))) return usernameTaken();
    const passwordHash = await hashPassword(password);
    const username = chosen ?? (await allocateUsername(tx, displayName));
    const created = await tx.user.create({ data: { id: newId(), email, displayName, username, passwordHash, locale, createdAt: now }, select: { id: true } });
    await touchpoint({ memberId: created.id, kind: "account.signed_up", actorId: created.id });
    // Every customer gets their own account manager from the first day.
    const manager = await leastLoadedAccountManager(tx);
    if (manager) {
      await tx.user.update({ where: { id: created.id }, data: { accountManagerId: manager.id } });
      await tx.accountManagerAssignment.create({ data: { id: newSortableId(now), memberId: created.id, managerId: manager.id, assignedById: null, startedAt: now } });
      await touchpoint({ memberId: created.id, kind: "account_manager.changed", actorId: null, data: { from: null, to: manager.displayName } });
    }
    await enqueueAccountMail(tx, { userId: created.id, purpose: "verify" }, now);
    return { ok: true, userId: created.id };
  },
  // Lost a race for the same email or username.
  conflict: async (services, { email }) => ((await services.db.user.findUnique({ where: { email }, select: { id: true } })) ? emailTaken() : usernameTaken()),
});

/** Signs up and logs in: the account (a command), then a new session for it. */
export async function signUp(services: Services, input: Record<string, unknown>, meta: RequestMeta) {
  const created = await createAccount(services, null, input, { ip: meta.ip });
  if (!created.ok) return created;
  const session = await services.auth.createSession(created.userId, { userAgent: meta.userAgent, ip: meta.ip });
  return { ok: true as const, userId: created.userId, sessionCookie: services.auth.createSessionCookie(session.id).serialize() };
}

export const resendVerificationEmail = defineCommand({
  name: "account.resend_verification",
  who: (actor) => can(actor, "account.own"),
  load: async (services, _ref, actor) => {
    const user = await services.db.user.findUnique({ where: { id: actor.id }, select: { emailVerifiedAt: true } });
    return user && !user.emailVerifiedAt ? user : fail.because("alreadyVerified");
  },
  limit: (actor) => ({ key: `verify-resend:${actor.id}`, limit: { max: 3, windowMs: 60 * 60_000 } }),
  async run({ tx, now, actor }) {
    await enqueueAccountMail(tx, { userId: actor.id, purpose: "verify" }, now);
    return { ok: true };
  },
});

/** A mailed confirmation token, looked up by its hash, with what decides whether it still works. */
function findEmailToken(db: Services["db"] | Tx, token: string) {
  return db.emailVerificationToken.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: { userId: true, email: true, expiresAt: true, usedAt: true, user: { select: { email: true } } },
  });
}

/** Unused, unexpired, and bound to the address it was sent to (a changed email voids it). */
function tokenWorks(row: Awaited<ReturnType<typeof findEmailToken>>, now: Date): row is NonNullable<typeof row> {
  return !!row && !row.usedAt && row.expiresAt > now && row.user.email === row.email;
}

/**
 * Whether a mailed confirmation link is still good, without using it: the
 * link's page asks for a click, so a mail scanner that fetches every link
 * does not confirm an address on the owner's behalf.
 */
export async function emailTokenUsable(services: Services, token: string) {
  return tokenWorks(await findEmailToken(services.db, token), services.clock.now());
}

/** The click on a mailed confirmation link, signed in or not. */
export const verifyEmail = defineCommand({
  name: "account.verify_email",
  anonymous: true,
  input: z.object({ token: z.string().max(200).default("") }),
  async run({ tx, now, touchpoint }, { token }) {
    const row = await findEmailToken(tx, token);
    if (!tokenWorks(row, now)) return fail.because("invalid");
    await tx.emailVerificationToken.update({ where: { tokenHash: sha256Hex(token) }, data: { usedAt: now } });
    await tx.user.update({ where: { id: row.userId }, data: { emailVerifiedAt: now } });
    await touchpoint({ memberId: row.userId, kind: "account.email_verified", actorId: row.userId });
    return { ok: true, userId: row.userId };
  },
});
