/**
 * Account life cycle: sign-up, email verification, log-in/out, password reset
 * and change. Each function validates, checks limits and writes; mail goes through the outbox.
 * Results are data (`{ ok: false, error }`), never exceptions, for expected failures.
 */
import { suspensionOf, type Suspension } from "../members/standing.server";
import { z } from "zod";
import type { Db, Services } from "../services.server";
import { translator } from "~/i18n/translate";
import { isLocale, type Locale } from "~/i18n/locales";
import { hashPassword, isCommonPassword, verifyPassword } from "./password.server";
import { newId, newToken, sha256Hex } from "./tokens.server";
import { hitRateLimit, isRateLimited, clearRateLimit, LIMITS } from "../rate-limit/rate-limit.server";
import { SignupSchema } from "./schemas";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import { requestNotification } from "../notifications/notifications.server";
import { newSortableId } from "../ids.server";
import type { Tx } from "../db-types.server";
import { allocateUsername, isUsernameTaken } from "../members/usernames.server";
import { enqueueOutboxEvent, type OutboxHandler } from "../outbox/outbox.server";

/** The staff member with the fewest members: new sign-ups are spread evenly. */
async function leastLoadedAccountManager(tx: Tx) {
  const staff = await tx.user.findMany({
    where: { role: "staff", deletedAt: null },
    select: { id: true, displayName: true, _count: { select: { managedMembers: true } } },
  });
  staff.sort((a, b) => a._count.managedMembers - b._count.managedMembers || a.id.localeCompare(b.id));
  return staff[0] ?? null;
}

const VERIFY_TTL_MS = 24 * 60 * 60_000;
const RESET_TTL_MS = 60 * 60_000;

export type Fail<E extends string> = { ok: false; error: E; field?: string; retryAfterSeconds?: number };

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
}

/**
 * Confirmation and reset mail leave through the outbox, never on the request's path: with the
 * mail server down the request still answers at once, and the mail goes when it is back. The
 * token is made when the mail is sent, so no usable token ever sits in the outbox's payload.
 */
export const ACCOUNT_MAIL = "account.mail";
type AccountMail = { userId: string; purpose: "verify" | "reset" };

async function enqueueAccountMail(tx: Tx, mail: AccountMail, now: Date) {
  await enqueueOutboxEvent(tx, ACCOUNT_MAIL, mail, now);
}

export function accountMailHandler(services: Pick<Services, "db" | "mailer" | "clock" | "settings">): OutboxHandler {
  return {
    name: "account.mail",
    handles: (type) => type === ACCOUNT_MAIL,
    async deliver(event) {
      const { userId, purpose } = event.payload as Partial<AccountMail>;
      if (typeof userId !== "string" || (purpose !== "verify" && purpose !== "reset")) return;
      const user = await services.db.user.findUnique({
        where: { id: userId },
        select: { id: true, email: true, displayName: true, locale: true, emailVerifiedAt: true, deletedAt: true },
      });
      if (!user || user.deletedAt || (purpose === "verify" && user.emailVerifiedAt)) return;
      const now = services.clock.now();
      const token = newToken();
      if (purpose === "verify") {
        await services.db.emailVerificationToken.create({
          data: { tokenHash: sha256Hex(token), userId: user.id, email: user.email, expiresAt: new Date(now.getTime() + VERIFY_TTL_MS) },
        });
      } else {
        await services.db.passwordResetToken.create({
          data: { tokenHash: sha256Hex(token), userId: user.id, expiresAt: new Date(now.getTime() + RESET_TTL_MS) },
        });
      }
      const t = translator(isLocale(user.locale) ? user.locale : services.settings.defaultLocale);
      const page = purpose === "verify" ? "verify-email" : "reset-password";
      const link = `${services.settings.publicUrl}/${page}?token=${encodeURIComponent(token)}`;
      await services.mailer.send({
        to: user.email,
        subject: t(purpose === "verify" ? "verify.mailSubject" : "forgot.mailSubject"),
        text: t(purpose === "verify" ? "verify.mailBody" : "forgot.mailBody", { name: user.displayName, link }),
      });
    },
  };
}

export async function signUp(
  services: Services,
  input: z.input<typeof SignupSchema> & { locale: Locale },
  meta: RequestMeta,
): Promise<{ ok: true; userId: string; sessionCookie: string } | Fail<"invalid" | "emailTaken" | "usernameTaken" | "passwordCommon" | "rateLimited">> {
  const parsed = SignupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid" };
  const { email, displayName, password } = parsed.data;
  if (isCommonPassword(password)) return { ok: false, error: "passwordCommon", field: "password" };

  const limit = await hitRateLimit(services.db, `signup:ip:${meta.ip}`, LIMITS.signupPerIp, services.clock.now());
  if (!limit.allowed) return { ok: false, error: "rateLimited", retryAfterSeconds: limit.retryAfterSeconds };

  const existing = await services.db.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) return { ok: false, error: "emailTaken", field: "email" };
  if (parsed.data.username && (await isUsernameTaken(services.db, parsed.data.username))) {
    return { ok: false, error: "usernameTaken", field: "username" };
  }

  const passwordHash = await hashPassword(password);
  const now = services.clock.now();
  const user = await services.db
    .$transaction(async (tx) => {
      const username = parsed.data.username ?? (await allocateUsername(tx, displayName));
      const created = await tx.user.create({
        data: { id: newId(), email, displayName, username, passwordHash, locale: input.locale, createdAt: now },
        select: { id: true, email: true, displayName: true, locale: true },
      });
      await recordTouchpoint(tx, { memberId: created.id, kind: "account.signed_up", actorId: created.id, at: now });
      // Every customer gets their own account manager from the first day.
      const manager = await leastLoadedAccountManager(tx);
      if (manager) {
        await tx.user.update({ where: { id: created.id }, data: { accountManagerId: manager.id } });
        await tx.accountManagerAssignment.create({
          data: { id: newSortableId(now), memberId: created.id, managerId: manager.id, assignedById: null, startedAt: now },
        });
        await recordTouchpoint(tx, {
          memberId: created.id,
          kind: "account_manager.changed",
          actorId: null,
          data: { from: null, to: manager.displayName },
          at: now,
        });
      }
      await enqueueAccountMail(tx, { userId: created.id, purpose: "verify" }, now);
      return created;
    })
    .catch((error: { code?: string }) => {
      if (error.code === "P2002") return null; // lost a race for the same email or username
      throw error;
    });
  if (!user) {
    const emailNowTaken = await services.db.user.findUnique({ where: { email }, select: { id: true } });
    return emailNowTaken ? { ok: false, error: "emailTaken", field: "email" } : { ok: false, error: "usernameTaken", field: "username" };
  }

  services.outbox.kick();
  const session = await services.auth.createSession(user.id, { userAgent: meta.userAgent, ip: meta.ip });
  return { ok: true, userId: user.id, sessionCookie: services.auth.createSessionCookie(session.id).serialize() };
}

export async function resendVerificationEmail(services: Services, userId: string) {
  const user = await services.db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, displayName: true, locale: true, emailVerifiedAt: true },
  });
  if (!user || user.emailVerifiedAt) return { ok: false as const, error: "alreadyVerified" as const };
  const limit = await hitRateLimit(
    services.db,
    `verify-resend:${userId}`,
    { max: 3, windowMs: 60 * 60_000 },
    services.clock.now(),
  );
  if (!limit.allowed) return { ok: false as const, error: "rateLimited" as const, retryAfterSeconds: limit.retryAfterSeconds };
  await services.db.$transaction((tx) => enqueueAccountMail(tx, { userId: user.id, purpose: "verify" }, services.clock.now()));
  services.outbox.kick();
  return { ok: true as const };
}

/** A mailed confirmation token, looked up by its hash, with what decides whether it still works. */
function findEmailToken(db: Db | Tx, token: string) {
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

export async function verifyEmail(services: Services, token: string): Promise<{ ok: true; userId: string } | Fail<"invalid">> {
  const now = services.clock.now();
  return services.db.$transaction(async (tx) => {
    const row = await findEmailToken(tx, token);
    if (!tokenWorks(row, now)) return { ok: false, error: "invalid" } as const;
    await tx.emailVerificationToken.update({ where: { tokenHash: sha256Hex(token) }, data: { usedAt: now } });
    await tx.user.update({ where: { id: row.userId }, data: { emailVerifiedAt: now } });
    await recordTouchpoint(tx, { memberId: row.userId, kind: "account.email_verified", actorId: row.userId, at: now });
    return { ok: true, userId: row.userId } as const;
  });
}

export async function logIn(
  services: Services,
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<{ ok: true; userId: string; sessionCookie: string } | Fail<"invalid" | "rateLimited"> | { ok: false; error: "suspended"; suspension: Suspension }> {
  const now = services.clock.now();
  const email = input.email.trim().toLowerCase();
  const ipLimit = await hitRateLimit(
    services.db,
    `login:ip:${meta.ip}`,
    { ...LIMITS.loginPerIp, max: services.settings.loginMaxPerIp },
    now,
  );
  if (!ipLimit.allowed) return { ok: false, error: "rateLimited", retryAfterSeconds: ipLimit.retryAfterSeconds };
  const accountKey = `login:account:${email}`;
  const accountLimit = await isRateLimited(services.db, accountKey, LIMITS.loginFailuresPerAccount, now);
  if (!accountLimit.allowed) {
    return { ok: false, error: "rateLimited", retryAfterSeconds: accountLimit.retryAfterSeconds };
  }

  const user = await services.db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, suspendedUntil: true, suspendedReason: true } });
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid) {
    await hitRateLimit(services.db, accountKey, LIMITS.loginFailuresPerAccount, now);
    return { ok: false, error: "invalid" };
  }
  await clearRateLimit(services.db, accountKey);
  // Told only after the right password: the standing of an account is not for anyone who knows its address.
  const suspension = suspensionOf(user, now);
  if (suspension) return { ok: false, error: "suspended", suspension };
  // Always a new session at log-in: no fixation of a session id planted earlier.
  const session = await services.auth.createSession(user.id, { userAgent: meta.userAgent, ip: meta.ip });
  return { ok: true, userId: user.id, sessionCookie: services.auth.createSessionCookie(session.id).serialize() };
}

export async function logOut(services: Services, userId: string, sessionId: string) {
  await services.auth.invalidateSession(sessionId);
  await services.realtime.closeSockets(userId, { session: sessionId, quiet: true });
  return services.auth.createBlankSessionCookie().serialize();
}

export async function logOutEverywhere(services: Services, userId: string, currentSessionId: string) {
  await services.auth.invalidateUserSessions(userId);
  // The other devices reload onto the log-in page; this one reads "you were logged out" first.
  await services.realtime.closeSockets(userId, { exceptSession: currentSessionId });
  await services.realtime.closeSockets(userId, { session: currentSessionId, quiet: true });
  return services.auth.createBlankSessionCookie().serialize();
}

export async function requestPasswordReset(
  services: Services,
  input: { email: string },
  meta: RequestMeta,
): Promise<{ ok: true } | Fail<"rateLimited">> {
  const now = services.clock.now();
  const email = input.email.trim().toLowerCase();
  const ipLimit = await hitRateLimit(services.db, `reset:ip:${meta.ip}`, LIMITS.passwordResetPerIp, now);
  if (!ipLimit.allowed) return { ok: false, error: "rateLimited", retryAfterSeconds: ipLimit.retryAfterSeconds };
  const user = await services.db.user.findUnique({
    where: { email },
    select: { id: true },
  });
  // The same answer whether or not the account exists.
  if (!user) return { ok: true };
  const accountLimit = await hitRateLimit(services.db, `reset:account:${user.id}`, LIMITS.passwordResetPerAccount, now);
  if (!accountLimit.allowed) return { ok: true };

  await services.db.$transaction((tx) => enqueueAccountMail(tx, { userId: user.id, purpose: "reset" }, now));
  services.outbox.kick();
  return { ok: true };
}

/** Whether a reset token can still be used; shown before asking for a new password. */
export async function isResetTokenUsable(services: Services, token: string) {
  const row = await services.db.passwordResetToken.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: { expiresAt: true, usedAt: true },
  });
  return !!row && !row.usedAt && row.expiresAt > services.clock.now();
}

export async function resetPassword(
  services: Services,
  input: { token: string; password: string },
): Promise<{ ok: true; userId: string } | Fail<"invalid" | "passwordCommon">> {
  if (isCommonPassword(input.password)) return { ok: false, error: "passwordCommon", field: "password" };
  const now = services.clock.now();
  const passwordHash = await hashPassword(input.password);
  const result = await services.db.$transaction(async (tx) => {
    // Claim the token atomically: a second use finds nothing to update.
    const claimed = await tx.passwordResetToken.updateMany({
      where: { tokenHash: sha256Hex(input.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) return null;
    const row = await tx.passwordResetToken.findUniqueOrThrow({
      where: { tokenHash: sha256Hex(input.token) },
      select: { userId: true },
    });
    // Following the link proves the mailbox, so the address counts as confirmed.
    const user = await tx.user.update({
      where: { id: row.userId },
      data: { passwordHash },
      select: { id: true, emailVerifiedAt: true },
    });
    if (!user.emailVerifiedAt) await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: now } });
    await tx.passwordResetToken.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: now } });
    await tx.session.deleteMany({ where: { userId: row.userId } });
    await requestNotification(tx, { userId: row.userId, kind: "account.security", link: "/profile/security" });
    return row.userId;
  });
  if (result) {
    services.outbox.kick();
    await services.realtime.closeSockets(result);
  }
  return result ? { ok: true, userId: result } : { ok: false, error: "invalid" };
}

export async function changePassword(
  services: Services,
  input: { userId: string; currentSessionId: string; currentPassword: string; password: string },
): Promise<{ ok: true } | Fail<"wrongPassword" | "passwordCommon" | "rateLimited">> {
  const now = services.clock.now();
  const limitKey = `password-change:${input.userId}`;
  const limit = await isRateLimited(services.db, limitKey, LIMITS.loginFailuresPerAccount, now);
  if (!limit.allowed) return { ok: false, error: "rateLimited", retryAfterSeconds: limit.retryAfterSeconds };
  const user = await services.db.user.findUnique({ where: { id: input.userId }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await hitRateLimit(services.db, limitKey, LIMITS.loginFailuresPerAccount, now);
    return { ok: false, error: "wrongPassword", field: "currentPassword" };
  }
  if (isCommonPassword(input.password)) return { ok: false, error: "passwordCommon", field: "password" };
  const passwordHash = await hashPassword(input.password);
  await services.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.userId }, data: { passwordHash } });
    // Every other device is logged out; this one stays.
    await tx.session.deleteMany({ where: { userId: input.userId, id: { not: sha256Hex(input.currentSessionId) } } });
    // Told by email (by default): a change they did not make is their cue to reset.
    await requestNotification(tx, { userId: input.userId, kind: "account.security", link: "/profile/security" });
  });
  services.outbox.kick();
  await services.realtime.closeSockets(input.userId, { exceptSession: input.currentSessionId });
  return { ok: true };
}

export async function countSessions(services: Services, userId: string) {
  return services.db.session.count({ where: { userId, expiresAt: { gt: services.clock.now() } } });
}

export async function setUserLocale(services: Services, userId: string, locale: Locale) {
  await services.db.user.update({ where: { id: userId }, data: { locale } });
}
