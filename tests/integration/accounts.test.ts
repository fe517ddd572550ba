import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../app/modules/auth/tokens.server.ts";
import {
  changePassword,
  logIn,
  logOutEverywhere,
  requestPasswordReset,
  resetPassword,
  signUp,
  verifyEmail,
} from "../../app/modules/auth/accounts.server.ts";
import { createTestServices, lastMailTo } from "../support/services.ts";
import type { BuiltServices } from "../../server/services.ts";

let services: BuiltServices & { dispose(): Promise<void> };
const meta = { ip: "203.0.113.7", userAgent: "vitest" };
let n = 0;
const email = (name: string) => `${name}-${++n}@example.test`;
const tokenOf = (link: string | null) => new URL(link!).searchParams.get("token")!;
const cookieToken = (cookie: string) => cookie.split(";")[0]!.split("=")[1]!;

beforeAll(async () => {
  services = await createTestServices();
});
afterAll(async () => {
  await services.dispose();
});

function withClock(offsetMs: number) {
  const real = services.clock;
  services.clock = { now: () => new Date(Date.now() + offsetMs) };
  return () => (services.clock = real);
}

describe("sign-up and email verification", () => {
  it("stores an argon2id hash, never the password, and mails a link that verifies once", async () => {
    const address = email("Mai.Tran");
    const result = await signUp(services, { email: address.toUpperCase(), displayName: "Trần Mai", password: "phố cổ về đêm", locale: "vi" }, meta);
    expect(result.ok).toBe(true);
    const user = await services.db.user.findUniqueOrThrow({ where: { email: address.toLowerCase() } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain("phố cổ");
    expect(user.emailVerifiedAt).toBeNull();

    const mail = await lastMailTo(services, address.toLowerCase());
    expect(mail?.subject).toBe("Xác nhận email của bạn cho Rapport");
    const token = tokenOf(mail!.link);
    expect(await verifyEmail(services, token)).toEqual({ ok: true, userId: user.id });
    expect(await verifyEmail(services, token)).toEqual({ ok: false, error: "invalid" });
    expect((await services.db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).not.toBeNull();
  });

  it("refuses an expired verification link", async () => {
    const address = email("late");
    await signUp(services, { email: address, displayName: "Late Comer", password: "slow and steady wins", locale: "en" }, meta);
    const token = tokenOf((await lastMailTo(services, address))!.link);
    const restore = withClock(25 * 60 * 60_000);
    try {
      expect(await verifyEmail(services, token)).toEqual({ ok: false, error: "invalid" });
    } finally {
      restore();
    }
  });

  it("refuses a taken email whatever its case, and a common password", async () => {
    const address = email("taken");
    await signUp(services, { email: address, displayName: "First", password: "first one here", locale: "en" }, meta);
    const again = await signUp(services, { email: address.toUpperCase(), displayName: "Second", password: "second one here", locale: "en" }, meta);
    expect(again).toMatchObject({ ok: false, error: "emailTaken" });
    const common = await signUp(services, { email: email("common"), displayName: "Common", password: "password123", locale: "en" }, meta);
    expect(common).toMatchObject({ ok: false, error: "passwordCommon" });
  });
});

describe("log-in", () => {
  it("gives the same answer for a wrong password and an unknown email", async () => {
    const address = email("login");
    await signUp(services, { email: address, displayName: "Log In", password: "right horse battery", locale: "en" }, meta);
    expect(await logIn(services, { email: address, password: "wrong horse battery" }, meta)).toEqual({ ok: false, error: "invalid" });
    expect(await logIn(services, { email: email("nobody"), password: "wrong horse battery" }, meta)).toEqual({ ok: false, error: "invalid" });
    const ok = await logIn(services, { email: address.toUpperCase(), password: "right horse battery" }, meta);
    expect(ok.ok).toBe(true);
  });

  it("stores only the SHA-256 of the session token", async () => {
    const address = email("hashed");
    await signUp(services, { email: address, displayName: "Hashed", password: "tokens are secrets", locale: "en" }, meta);
    const result = await logIn(services, { email: address, password: "tokens are secrets" }, meta);
    if (!result.ok) throw new Error("log-in failed");
    const token = cookieToken(result.sessionCookie);
    expect(await services.db.session.findUnique({ where: { id: token } })).toBeNull();
    expect(await services.db.session.findUnique({ where: { id: sha256Hex(token) } })).not.toBeNull();
    expect((await services.auth.validateSession(token)).user?.id).toBe(result.userId);
  });

  it("pauses an account after five wrong passwords, even for the right one", async () => {
    const address = email("locked");
    await signUp(services, { email: address, displayName: "Locked", password: "guess me if you can", locale: "en" }, { ...meta, ip: "198.51.100.1" });
    for (let i = 0; i < 5; i++) await logIn(services, { email: address, password: `wrong ${i} guess` }, { ...meta, ip: `198.51.100.${i + 10}` });
    const result = await logIn(services, { email: address, password: "guess me if you can" }, meta);
    expect(result).toMatchObject({ ok: false, error: "rateLimited" });
    expect((result as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });

  it("limits attempts from one address", async () => {
    const ip = "192.0.2.99";
    let last;
    for (let i = 0; i < 31; i++) last = await logIn(services, { email: email("spray"), password: "whatever it is" }, { ...meta, ip });
    expect(last).toMatchObject({ ok: false, error: "rateLimited" });
  });
});

describe("passwords", () => {
  async function member(password: string) {
    const address = email("pw");
    const result = await signUp(services, { email: address, displayName: "Pass Word", password, locale: "en" }, meta);
    if (!result.ok) throw new Error("sign-up failed");
    return { address, userId: result.userId, token: cookieToken(result.sessionCookie) };
  }

  it("a reset link works once, within the hour, and logs out everywhere", async () => {
    const m = await member("the old password");
    const second = await logIn(services, { email: m.address, password: "the old password" }, meta);
    expect(second.ok).toBe(true);
    await requestPasswordReset(services, { email: m.address }, meta);
    const token = tokenOf((await lastMailTo(services, m.address))!.link);

    expect(await resetPassword(services, { token, password: "the new password" })).toEqual({ ok: true, userId: m.userId });
    expect(await services.db.session.count({ where: { userId: m.userId } })).toBe(0);
    expect(await resetPassword(services, { token, password: "another new one" })).toEqual({ ok: false, error: "invalid" });
    expect((await logIn(services, { email: m.address, password: "the new password" }, meta)).ok).toBe(true);
  });

  it("a reset link expires after an hour", async () => {
    const m = await member("expiring password");
    await requestPasswordReset(services, { email: m.address }, meta);
    const token = tokenOf((await lastMailTo(services, m.address))!.link);
    const restore = withClock(61 * 60_000);
    try {
      expect(await resetPassword(services, { token, password: "too late now" })).toEqual({ ok: false, error: "invalid" });
    } finally {
      restore();
    }
  });

  it("asking to reset an unknown email answers the same and sends nothing", async () => {
    const before = await services.db.mailMessage.count();
    expect(await requestPasswordReset(services, { email: email("ghost") }, meta)).toEqual({ ok: true });
    expect(await services.db.mailMessage.count()).toBe(before);
  });

  it("changing the password needs the current one and ends every other session", async () => {
    const m = await member("current secret");
    const other = await logIn(services, { email: m.address, password: "current secret" }, meta);
    if (!other.ok) throw new Error("log-in failed");
    expect(await changePassword(services, { userId: m.userId, currentSessionId: m.token, currentPassword: "nope nope", password: "next secret" })).toMatchObject({
      ok: false,
      error: "wrongPassword",
    });
    expect(await changePassword(services, { userId: m.userId, currentSessionId: m.token, currentPassword: "current secret", password: "next secret!" })).toEqual({ ok: true });
    expect((await services.auth.validateSession(m.token)).session).not.toBeNull();
    expect((await services.auth.validateSession(cookieToken(other.sessionCookie))).session).toBeNull();
  });

  it("log out everywhere ends all sessions", async () => {
    const m = await member("many devices here");
    await logIn(services, { email: m.address, password: "many devices here" }, meta);
    await logOutEverywhere(services, m.userId);
    expect(await services.db.session.count({ where: { userId: m.userId } })).toBe(0);
  });
});
