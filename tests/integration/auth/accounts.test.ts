import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../app/modules/auth/tokens.server.ts";
import { verifyPassword } from "../../../app/modules/passwords.server.ts";
import { changePassword, logIn, logOut, logOutEverywhere, type RequestMeta } from "../../../app/modules/auth/accounts.server.ts";
import { isResetTokenUsable, requestPasswordReset, resetPassword } from "../../../app/modules/auth/password-reset.server.ts";
import { signUp, verifyEmail } from "../../../app/modules/auth/signup.server.ts";
import { lastMailTo, servicesForThisFile } from "../../support/services.ts";
import { ORIGIN, formPost, routeAnswer, routeContext } from "../../support/routes.ts";
import { loader as devMailLoader } from "../../../app/routes/dev.mail.tsx";
import { createAdmin, createStaff, type Person } from "../../factories/actors.ts";
import { action as verifyAction, loader as verifyLoader } from "../../../app/routes/verify-email.tsx";
import { HOUR, MINUTE, movableClock, type MovableClock } from "../../support/clock.ts";

const services = servicesForThisFile();
let clock: MovableClock;

beforeAll(() => {
  clock = movableClock();
  services.clock = clock;
});

let n = 0;
/** Every person gets their own address and device, so limits never leak between stories. */
const uniqueEmail = (name: string) => `${name}-${++n}@example.test`;
const device = (): RequestMeta => ({ ip: `10.0.${Math.floor(n / 200)}.${(n++ % 200) + 1}`, userAgent: "vitest" });
const tokenOf = (link: string | null | undefined) => new URL(link!).searchParams.get("token")!;
const cookieToken = (cookie: string) => cookie.split(";")[0]!.split("=")[1]!;

async function member(password = "mưa rào tháng sáu", locale: "vi" | "en" = "en") {
  const email = uniqueEmail("member");
  const result = await signUp(services, { email, displayName: "Nguyễn Lan", password, locale }, device());
  if (!result.ok) throw new Error(`sign-up failed: ${result.error}`);
  return { email, password, userId: result.userId, token: cookieToken(result.sessionCookie) };
}

async function logInAgain(email: string, password: string) {
  const result = await logIn(services, { email, password }, device());
  if (!result.ok) throw new Error(`log-in failed: ${result.error}`);
  return cookieToken(result.sessionCookie);
}

const sessionIsValid = async (token: string) => (await services.auth.validateSession(token)).session !== null;

describe("signing up", () => {
  it("stores the email in lower case and an argon2id hash of the password, never the password", async () => {
    const email = uniqueEmail("Mai.Tran");
    const result = await signUp(
      services,
      { email: `  ${email.toUpperCase()} `, displayName: "Trần Mai", password: "phố cổ về đêm", locale: "vi" },
      device(),
    );
    expect(result.ok).toBe(true);
    const user = await services.db.user.findUniqueOrThrow({
      where: { email: email.toLowerCase() },
      select: { id: true, passwordHash: true, emailVerifiedAt: true, locale: true },
    });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain("phố cổ về đêm");
    expect(await verifyPassword(user.passwordHash, "phố cổ về đêm")).toBe(true);
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.locale).toBe("vi");
    // Signed in straight away, with a cookie that names the new account.
    if (!result.ok) return;
    expect(result.userId).toBe(user.id);
    expect((await services.auth.validateSession(cookieToken(result.sessionCookie))).user?.id).toBe(user.id);
  });

  it("mails a link in the member's language that confirms the address once", async () => {
    const email = uniqueEmail("lan");
    const result = await signUp(services, { email, displayName: "Lan", password: "hoa sữa cuối thu", locale: "vi" }, device());
    if (!result.ok) throw new Error("sign-up failed");
    const mail = await lastMailTo(services, email);
    expect(mail?.subject).toBe("Xác nhận email của bạn cho Rapport");
    expect(mail?.link).toMatch(/^http:\/\/localhost:3999\/verify-email\?token=/);
    // Only the token's hash is kept, so the mailed token is nowhere in the database.
    const token = tokenOf(mail?.link);
    expect(await services.db.emailVerificationToken.count({ where: { tokenHash: token } })).toBe(0);

    expect(await verifyEmail(services, null, { token })).toEqual({ ok: true, userId: result.userId });
    expect(await verifyEmail(services, null, { token })).toEqual({ ok: false, error: "invalid" });
    const user = await services.db.user.findUniqueOrThrow({ where: { id: result.userId }, select: { emailVerifiedAt: true } });
    expect(user.emailVerifiedAt).toEqual(clock.now());
  });

  it("opening the link only asks for a click: a mail scanner's GET confirms nothing, the click does, once", async () => {
    const email = uniqueEmail("scanned");
    const result = await signUp(services, { email, displayName: "Hà", password: "sương sớm Tam Đảo", locale: "en" }, device());
    if (!result.ok) throw new Error("sign-up failed");
    const link = (await lastMailTo(services, email))!.link!;
    const context = routeContext(services, null);
    const verified = async () => (await services.db.user.findUniqueOrThrow({ where: { id: result.userId }, select: { emailVerifiedAt: true } })).emailVerifiedAt;

    for (let i = 0; i < 3; i++) {
      const opened = await routeAnswer(() => verifyLoader({ request: new Request(link), context, params: {} }));
      expect(opened).toMatchObject({ status: 200, data: { token: tokenOf(link) } });
    }
    expect(await verified()).toBeNull();

    const confirm = () => routeAnswer(() => verifyAction({ request: formPost("/verify-email", { token: tokenOf(link) }), context, params: {} }));
    expect(await confirm()).toMatchObject({ status: 200, data: { verified: true } });
    expect(await verified()).toEqual(clock.now());
    expect(await confirm()).toMatchObject({ status: 400, data: { verified: false } });
    // Once used, the link's page says so instead of offering the button again.
    expect(await routeAnswer(() => verifyLoader({ request: new Request(link), context, params: {} }))).toMatchObject({ data: { token: null } });
  });

  it("a verification link still works late on its first day, and not once 24 hours have passed", async () => {
    const early = await member();
    const late = await member();
    const earlyToken = tokenOf((await lastMailTo(services, early.email))?.link);
    const lateToken = tokenOf((await lastMailTo(services, late.email))?.link);

    clock.advance(24 * HOUR - MINUTE);
    expect(await verifyEmail(services, null, { token: earlyToken })).toEqual({ ok: true, userId: early.userId });
    clock.advance(MINUTE);
    expect(await verifyEmail(services, null, { token: lateToken })).toEqual({ ok: false, error: "invalid" });
    const user = await services.db.user.findUniqueOrThrow({ where: { id: late.userId }, select: { emailVerifiedAt: true } });
    expect(user.emailVerifiedAt).toBeNull();
  });

  it("a made-up verification token confirms nothing", async () => {
    expect(await verifyEmail(services, null, { token: "not-a-token-we-sent" })).toEqual({ ok: false, error: "invalid" });
  });

  it("an email already in use cannot be taken again, whatever its case", async () => {
    const first = await member();
    const again = await signUp(
      services,
      { email: first.email.toUpperCase(), displayName: "Impostor", password: "một mật khẩu khác", locale: "en" },
      device(),
    );
    expect(again).toEqual({ ok: false, error: "emailTaken", fieldErrors: { email: ["signup.emailTaken"] } });
    expect(await services.db.user.count({ where: { email: first.email } })).toBe(1);
  });

  it("a common password is refused with the field to fix, and nothing is created or mailed", async () => {
    const email = uniqueEmail("common");
    const result = await signUp(services, { email, displayName: "Common", password: "password123", locale: "en" }, device());
    expect(result).toEqual({ ok: false, error: "passwordCommon", fieldErrors: { password: ["validation.passwordCommon"] } });
    expect(await services.db.user.count({ where: { email } })).toBe(0);
    expect(await lastMailTo(services, email)).toBeNull();
  });

  it("accepts passwords of 8 to 128 characters and refuses shorter or longer ones", async () => {
    const attempt = (password: string) =>
      signUp(services, { email: uniqueEmail("length"), displayName: "Length", password, locale: "en" }, device());
    expect(await attempt("Rq7#mLp")).toEqual({ ok: false, error: "invalid", fieldErrors: { password: ["validation.passwordTooShort"] } });
    expect(await attempt("ab3$".repeat(32) + "x")).toEqual({ ok: false, error: "invalid", fieldErrors: { password: ["validation.passwordTooLong"] } });
    expect((await attempt("Rq7#mLp2")).ok).toBe(true);
    expect((await attempt("ab3$".repeat(32))).ok).toBe(true);
  });

  it("one address cannot create accounts in bulk: the eleventh sign-up in an hour waits", async () => {
    const meta = device();
    const email = uniqueEmail("bulk");
    const results = [];
    // The same email over and over: the limit counts attempts, not accounts.
    for (let i = 0; i < 11; i++) {
      results.push(await signUp(services, { email, displayName: "Bulk", password: "bulk sign ups here", locale: "en" }, meta));
    }
    expect(results[0]!.ok).toBe(true);
    expect(results.slice(1, 10).every((r) => !r.ok && r.error === "emailTaken")).toBe(true);
    expect(results[10]).toMatchObject({ ok: false, error: "rateLimited" });
    expect((results[10] as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe("logging in", () => {
  it("a wrong password and an unknown email get the very same answer", async () => {
    const m = await member("đúng mật khẩu rồi");
    const wrongPassword = await logIn(services, { email: m.email, password: "sai mật khẩu rồi" }, device());
    const unknownEmail = await logIn(services, { email: uniqueEmail("nobody"), password: "đúng mật khẩu rồi" }, device());
    expect(wrongPassword).toEqual({ ok: false, error: "invalid" });
    expect(unknownEmail).toEqual(wrongPassword);
    const ok = await logIn(services, { email: ` ${m.email.toUpperCase()} `, password: m.password }, device());
    expect(ok).toMatchObject({ ok: true, userId: m.userId });
  });

  it("the sessions table holds only SHA-256 of each token, so a copy of it cannot be replayed", async () => {
    const m = await member();
    const token = await logInAgain(m.email, m.password);
    const rows = await services.db.session.findMany({ where: { userId: m.userId }, select: { id: true } });
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.id)).not.toContain(token);
    expect(rows.map((r) => r.id)).toContain(sha256Hex(token));

    const valid = await services.auth.validateSession(token);
    expect(valid.user?.id).toBe(m.userId);
    expect(valid.session?.id).toBe(token);
    // Someone holding the table has only hashes; a hash is not a cookie.
    expect(await sessionIsValid(sha256Hex(token))).toBe(false);
  });

  it("an account is paused after five wrong passwords, even for the right one, until the window passes", async () => {
    const m = await member("chỉ mình tôi biết");
    // Four slips, then the right password: let in, and the slips are forgotten.
    for (let i = 0; i < 4; i++) await logIn(services, { email: m.email, password: `đoán sai ${i}` }, device());
    expect((await logIn(services, { email: m.email, password: m.password }, device())).ok).toBe(true);

    // Five wrong guesses from five addresses: the account itself is paused.
    for (let i = 0; i < 5; i++) {
      expect(await logIn(services, { email: m.email, password: `đoán sai ${i}` }, device())).toEqual({ ok: false, error: "invalid" });
    }
    const paused = await logIn(services, { email: m.email, password: m.password }, device());
    expect(paused).toMatchObject({ ok: false, error: "rateLimited" });
    const retryAfter = (paused as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    clock.advance(retryAfter * 1000);
    expect(await logIn(services, { email: m.email, password: m.password }, device())).toMatchObject({ ok: true, userId: m.userId });
  });

  it("one address can try 30 times in 15 minutes; someone elsewhere is not affected", async () => {
    const allowed = services.settings.loginMaxPerIp;
    expect(allowed).toBe(30);
    const m = await member();
    const sprayer = device();
    const answers = [];
    for (let i = 0; i <= allowed; i++) {
      answers.push(await logIn(services, { email: uniqueEmail("spray"), password: "whatever it is" }, sprayer));
    }
    expect(answers.slice(0, allowed).every((a) => !a.ok && a.error === "invalid")).toBe(true);
    expect(answers[allowed]).toMatchObject({ ok: false, error: "rateLimited" });
    expect((answers[allowed] as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    // Even the right password waits at that address...
    expect(await logIn(services, { email: m.email, password: m.password }, sprayer)).toMatchObject({ error: "rateLimited" });
    // ...while the member at home logs in.
    expect((await logIn(services, { email: m.email, password: m.password }, device())).ok).toBe(true);
  });
});

describe("a forgotten password", () => {
  it("asking for an unknown email gets the same answer and sends no mail", async () => {
    const m = await member();
    const ghost = uniqueEmail("ghost");
    await services.dispatcher.drainNow(); // the sign-up's confirmation mail
    const mailsBefore = await services.db.mailMessage.count();
    expect(await requestPasswordReset(services, null, { email: ghost }, device())).toEqual({ ok: true });
    await services.dispatcher.drainNow();
    expect(await services.db.mailMessage.count()).toBe(mailsBefore);
    expect(await requestPasswordReset(services, null, { email: m.email }, device())).toEqual({ ok: true });
    await services.dispatcher.drainNow();
    expect(await services.db.mailMessage.count()).toBe(mailsBefore + 1);
  });

  it("a member who resets their password is logged out everywhere, and the link works once", async () => {
    const m = await member("mật khẩu cũ đã quên");
    const phone = await logInAgain(m.email, m.password);
    await requestPasswordReset(services, null, { email: m.email.toUpperCase() }, device());
    const mail = await lastMailTo(services, m.email);
    expect(mail?.link).toMatch(/\/reset-password\?token=/);
    const token = tokenOf(mail?.link);
    expect(await isResetTokenUsable(services, token)).toBe(true);

    expect(await resetPassword(services, null, { token, password: "mật khẩu mới tinh" })).toEqual({ ok: true, userId: m.userId });
    expect(await sessionIsValid(m.token)).toBe(false);
    expect(await sessionIsValid(phone)).toBe(false);
    expect(await services.db.session.count({ where: { userId: m.userId } })).toBe(0);

    expect(await isResetTokenUsable(services, token)).toBe(false);
    expect(await resetPassword(services, null, { token, password: "lần thứ hai thử lại" })).toEqual({ ok: false, error: "invalid" });
    expect((await logIn(services, { email: m.email, password: m.password }, device())).ok).toBe(false);
    expect((await logIn(services, { email: m.email, password: "mật khẩu mới tinh" }, device())).ok).toBe(true);
    // Following the link proved the mailbox.
    const user = await services.db.user.findUniqueOrThrow({ where: { id: m.userId }, select: { emailVerifiedAt: true } });
    expect(user.emailVerifiedAt).not.toBeNull();
  });

  it("a reset link lasts one hour", async () => {
    const m = await member("giữ nguyên mật khẩu");
    await requestPasswordReset(services, null, { email: m.email }, device());
    const token = tokenOf((await lastMailTo(services, m.email))?.link);
    clock.advance(59 * MINUTE);
    expect(await isResetTokenUsable(services, token)).toBe(true);
    clock.advance(MINUTE);
    expect(await isResetTokenUsable(services, token)).toBe(false);
    expect(await resetPassword(services, null, { token, password: "quá muộn mất rồi" })).toEqual({ ok: false, error: "invalid" });
    expect(await sessionIsValid(m.token)).toBe(true);
    expect((await logIn(services, { email: m.email, password: m.password }, device())).ok).toBe(true);
  });

  it("picking a common password on the reset page does not use up the link", async () => {
    const m = await member();
    await requestPasswordReset(services, null, { email: m.email }, device());
    const token = tokenOf((await lastMailTo(services, m.email))?.link);
    expect(await resetPassword(services, null, { token, password: "password123" })).toEqual({
      ok: false,
      error: "passwordCommon",
      fieldErrors: { password: ["validation.passwordCommon"] },
    });
    expect(await resetPassword(services, null, { token, password: "một câu dài dễ nhớ" })).toMatchObject({ ok: true });
  });
});

describe("the kept mail at /dev/mail (demo and development)", () => {
  it("is read only at this machine or by an admin: anyone else reaching the port gets a 404, not everyone's reset links", async () => {
    const m = await member();
    await requestPasswordReset(services, null, { email: m.email }, device());
    const staff = await createStaff(services.db);
    const admin = await createAdmin(services.db);
    const open = (who: Person | null, fromLoopback: boolean) =>
      routeAnswer(() => devMailLoader({ request: new Request(`${ORIGIN}/dev/mail`), context: { ...routeContext(services, who), fromLoopback }, params: {} }) as Promise<unknown>);

    for (const who of [null, staff]) expect((await open(who, false)).status, who?.role ?? "visitor").toBe(404);
    for (const [who, fromLoopback] of [[null, true], [admin, false]] as const) {
      const answer = await open(who, fromLoopback);
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.data)).toContain("/reset-password?token=");
    }
  });
});

describe("changing the password and ending sessions", () => {
  it("changing the password needs the current one, keeps this device and logs out every other", async () => {
    const m = await member("mật khẩu hiện tại");
    const laptop = await logInAgain(m.email, m.password);
    const tablet = await logInAgain(m.email, m.password);

    const wrong = await changePassword(services, { id: m.userId, role: "member" }, {
      currentSessionId: m.token,
      currentPassword: "không phải nó",
      password: "mật khẩu tiếp theo",
    });
    expect(wrong).toEqual({ ok: false, error: "wrongPassword", fieldErrors: { currentPassword: ["profile.wrongPassword"] } });
    expect(await sessionIsValid(laptop)).toBe(true);

    const changed = await changePassword(services, { id: m.userId, role: "member" }, {
      currentSessionId: m.token,
      currentPassword: m.password,
      password: "mật khẩu tiếp theo",
    });
    expect(changed).toEqual({ ok: true });
    expect(await sessionIsValid(m.token)).toBe(true);
    expect(await sessionIsValid(laptop)).toBe(false);
    expect(await sessionIsValid(tablet)).toBe(false);
    expect((await logIn(services, { email: m.email, password: m.password }, device())).ok).toBe(false);
    expect((await logIn(services, { email: m.email, password: "mật khẩu tiếp theo" }, device())).ok).toBe(true);
  });

  it("logging out ends this device only; logging out everywhere ends them all", async () => {
    const m = await member();
    const laptop = await logInAgain(m.email, m.password);
    const tablet = await logInAgain(m.email, m.password);

    expect(await logOut(services, m.userId, laptop)).toMatch(/^rapport_session=;.*Max-Age=0/);
    expect(await sessionIsValid(laptop)).toBe(false);
    expect(await sessionIsValid(tablet)).toBe(true);

    expect(await logOutEverywhere(services, m.userId, tablet)).toMatch(/^rapport_session=;.*Max-Age=0/);
    expect(await sessionIsValid(m.token)).toBe(false);
    expect(await sessionIsValid(tablet)).toBe(false);
    expect(await services.db.session.count({ where: { userId: m.userId } })).toBe(0);
  });
});
