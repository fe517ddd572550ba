/**
 * Log-in and log-out, sessions and the signed-in account's own settings.
 * Sign-up and confirmation are in ./signup.server.ts, password reset in
 * ./password-reset.server.ts, their mail in ./account-mail.server.ts.
 * Results are data (the one failure type), never exceptions, for expected failures.
 */
import { z } from "zod";
import { suspensionOf, type Suspension } from "../members/standing.server";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { LOCALES } from "../locales";
import { defineCommand, type CommandOrigin } from "../commands/command.server";
import { fail, type Failure } from "../commands/failure";
import { can } from "../policy/can";
import { hashPassword, isCommonPassword, verifyPassword } from "../passwords.server";
import { sha256Hex } from "./tokens.server";
import { hitRateLimit, isRateLimited, clearRateLimit, LIMITS } from "../rate-limit/rate-limit.server";
import { requestNotification } from "../notifications/notifications.server";
import { passwordCommon, type RequestMeta } from "./signup.server";

export type { RequestMeta };

export type Fail<E extends string> = { ok: false; error: E; retryAfterSeconds?: number };

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

/**
 * The new password, once the current one was proven (changePassword below): every other device
 * is logged out, this one stays, and the person is told.
 */
const setNewPassword = defineCommand({
  name: "account.change_password",
  who: (actor) => can(actor, "account.own"),
  input: z.object({ currentSessionId: z.string().max(200), password: z.string().max(1_000) }),
  async run({ tx, actor, afterCommit }, { currentSessionId, password }) {
    if (isCommonPassword(password)) return passwordCommon();
    const passwordHash = await hashPassword(password);
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: actor.id, id: { not: sha256Hex(currentSessionId) } } });
    // Told by email (by default): a change they did not make is their cue to reset.
    await requestNotification(tx, { userId: actor.id, kind: "account.security", link: "/profile/security" });
    afterCommit((services) => services.realtime.closeSockets(actor.id, { exceptSession: currentSessionId }));
    return { ok: true };
  },
});

/**
 * Changes one's own password. Proving the current one is authentication, as at log-in: only
 * wrong guesses count against the limit, and that count must stand when the attempt is refused,
 * so it happens here, before the command (whose refusals roll back).
 */
export async function changePassword(
  services: Services,
  actor: Actor,
  input: { currentSessionId: string; currentPassword: string; password: string },
  origin: CommandOrigin = {},
): Promise<{ ok: true } | Failure> {
  const now = services.clock.now();
  const limitKey = `password-change:${actor.id}`;
  const limit = await isRateLimited(services.db, limitKey, LIMITS.loginFailuresPerAccount, now);
  if (!limit.allowed) return fail.rateLimited(limit.retryAfterSeconds);
  const user = await services.db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await hitRateLimit(services.db, limitKey, LIMITS.loginFailuresPerAccount, now);
    return fail.onField("wrongPassword", "currentPassword", "profile.wrongPassword");
  }
  return setNewPassword(services, actor, input, origin);
}

export async function countSessions(services: Services, userId: string) {
  return services.db.session.count({ where: { userId, expiresAt: { gt: services.clock.now() } } });
}

export const setUserLocale = defineCommand({
  name: "account.set_locale",
  who: (actor) => can(actor, "account.own"),
  input: z.object({ locale: z.enum(LOCALES) }),
  async run({ tx, actor }, { locale }) {
    await tx.user.update({ where: { id: actor.id }, data: { locale } });
    return { ok: true };
  },
});
