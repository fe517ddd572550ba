/**
 * Suspensions: who may suspend whom, what a suspension does at once (sessions,
 * sockets, log-in refused with the reason, audit, timeline, email), that it
 * ends by itself or when lifted, and the profile page's panel for moderators.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { logIn } from "../../../app/modules/auth/accounts.server.ts";
import { signUp } from "../../../app/modules/auth/signup.server.ts";
import { liftSuspension, suspendMember, UNTIL_LIFTED } from "../../../app/modules/members/standing.server.ts";
import { openMemberPage } from "../../../app/modules/console/member-page.server.ts";
import { renderNotification } from "../../../app/i18n/notification-text.ts";
import { action as profileAction, loader as profileLoader } from "../../../app/routes/community.u.$username.tsx";
import { createAdmin, createMember, createStaff } from "../../factories/actors.ts";
import { HOUR, movableClock, type MovableClock } from "../../support/clock.ts";
import { listenToRealtime } from "../../support/relationship.ts";
import { formPost, ORIGIN, routeAnswer, routeContext } from "../../support/routes.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();
let clock: MovableClock;
let emits: ReturnType<typeof listenToRealtime>;
beforeAll(() => {
  clock = movableClock();
  services.clock = clock;
  emits = listenToRealtime(services);
});

let n = 0;
const device = () => ({ ip: `10.9.0.${++n}`, userAgent: "vitest" });
const DAY = 24 * HOUR;

/** A member who signed up with a password, so log-in can be tried for real. */
async function signedUp() {
  const email = `suspect-${++n}@example.test`;
  const password = "mưa rào tháng sáu";
  const result = await signUp(services, { email, displayName: "Đỗ Văn Spam", password, locale: "en" }, device());
  if (!result.ok) throw new Error(result.error);
  const user = await services.db.user.findUniqueOrThrow({ where: { id: result.userId } });
  return { ...user, password, actor: { id: user.id, role: user.role } };
}

const moderator = () => createMember(services.db).then((m) => services.db.user.update({ where: { id: m.id }, data: { role: "moderator" } })).then((u) => ({ ...u, actor: { id: u.id, role: u.role } }));

describe("suspending a member", () => {
  it("ends their sessions and sockets at once, refuses log-in with the reason until it ends, and leaves an audit row, a touchpoint and an email", async () => {
    const mod = await moderator();
    const member = await signedUp();
    const before = await logIn(services, { email: member.email, password: member.password }, device());
    expect(before.ok).toBe(true);

    const result = await suspendMember(services, mod.actor, { days: "7", reason: "Quảng cáo lặp lại trong nhiều chủ đề", memberId: member.id }, { ip: "10.0.0.1" });
    expect(result).toMatchObject({ ok: true, suspension: { untilLifted: false } });
    const until = new Date(clock.now().getTime() + 7 * DAY);
    expect(await services.db.session.count({ where: { userId: member.id } })).toBe(0);
    expect(emits).toContainEqual({ to: `user:${member.id}`, event: "closeSockets", payload: {} });

    // The right password is told why; a wrong one learns nothing about the account.
    const refused = await logIn(services, { email: member.email, password: member.password }, device());
    expect(refused).toEqual({ ok: false, error: "suspended", suspension: { until, reason: "Quảng cáo lặp lại trong nhiều chủ đề", untilLifted: false } });
    expect(await logIn(services, { email: member.email, password: "not the password" }, device())).toEqual({ ok: false, error: "invalid" });

    const audit = await services.db.auditLog.findFirstOrThrow({ where: { action: "member.suspended", targetMemberId: member.id } });
    expect(audit).toMatchObject({ actorId: mod.id, ip: "10.0.0.1", data: { until: until.toISOString(), reason: "Quảng cáo lặp lại trong nhiều chủ đề" } });
    expect(await services.db.touchpoint.count({ where: { memberId: member.id, kind: "account.suspended", actorId: mod.id } })).toBe(1);
    const events = await services.db.outboxEvent.findMany({ where: { type: "notification.requested" } });
    const told = events.map((e) => e.payload as { userId: string; kind: string; data: unknown }).filter((p) => p.userId === member.id && p.kind === "account.standing");
    expect(told).toHaveLength(1);
    expect(renderNotification("en", "account.standing", told[0]!.data)).toMatch(/^Your account is suspended until \d{1,2} \w+ \d{4}.*\. Reason: Quảng cáo lặp lại trong nhiều chủ đề$/);

    // A week later it has ended by itself.
    clock.advance(7 * DAY + 1000);
    expect((await logIn(services, { email: member.email, password: member.password }, device())).ok).toBe(true);
  });

  it("until lifted: no end date, and lifting it lets them back in, audited and told", async () => {
    const mod = await moderator();
    const member = await signedUp();
    expect(await suspendMember(services, mod.actor, { days: "lifted", reason: "Lừa đảo người mua", memberId: member.id })).toMatchObject({ ok: true, suspension: { until: UNTIL_LIFTED, untilLifted: true } });
    clock.advance(400 * DAY);
    const refused = await logIn(services, { email: member.email, password: member.password }, device());
    expect(refused).toMatchObject({ ok: false, error: "suspended", suspension: { untilLifted: true } });
    expect(renderNotification("vi", "account.standing", { variant: "suspended", until: UNTIL_LIFTED.toISOString(), reason: "Lừa đảo" })).toBe(
      "Tài khoản của bạn bị tạm khóa cho đến khi điều phối viên gỡ bỏ. Lý do: Lừa đảo",
    );

    // Staff read it on the member's record in the console.
    const admin = await createAdmin(services.db);
    expect((await openMemberPage(services, admin.actor, member.id, { ip: "10.0.0.3" })).member.suspension).toEqual({ until: UNTIL_LIFTED, reason: "Lừa đảo người mua", untilLifted: true });

    expect(await liftSuspension(services, mod.actor, { memberId: member.id })).toEqual({ ok: true });
    expect((await openMemberPage(services, admin.actor, member.id, { ip: "10.0.0.3" })).member.suspension).toBeNull();
    expect((await logIn(services, { email: member.email, password: member.password }, device())).ok).toBe(true);
    expect(await services.db.auditLog.count({ where: { action: "member.unsuspended", targetMemberId: member.id, actorId: mod.id } })).toBe(1);
    expect(await services.db.touchpoint.count({ where: { memberId: member.id, kind: "account.unsuspended" } })).toBe(1);
    expect(await liftSuspension(services, mod.actor, { memberId: member.id })).toEqual({ ok: false, error: "notSuspended" });
  });

  it("a session made for a suspended account is refused when it is used", async () => {
    const mod = await moderator();
    const member = await signedUp();
    await suspendMember(services, mod.actor, { days: "1", reason: "Spam liên tục", memberId: member.id });
    // As if a log-in had raced the suspension: the session row exists, the account is suspended.
    const session = await services.auth.createSession(member.id, { userAgent: "vitest", ip: "10.0.0.2" });
    expect((await services.auth.validateSession(session.id)).session).toBeNull();
  });
});

describe("who may suspend whom", () => {
  it("moderators suspend members; only admins suspend moderators; staff, admins and oneself never; members never suspend", async () => {
    const mod = await moderator();
    const otherMod = await moderator();
    const admin = await createAdmin(services.db);
    const staff = await createStaff(services.db);
    const member = await signedUp();
    const plain = await createMember(services.db);
    const input = { days: "1" as const, reason: "Vi phạm nội quy" };

    expect(await suspendMember(services, plain.actor, { ...input, memberId: member.id })).toEqual({ ok: false, error: "notAllowed" });
    expect(await suspendMember(services, mod.actor, { ...input, memberId: otherMod.id })).toEqual({ ok: false, error: "notAllowed" });
    expect(await suspendMember(services, mod.actor, { ...input, memberId: staff.id })).toEqual({ ok: false, error: "notAllowed" });
    expect(await suspendMember(services, admin.actor, { ...input, memberId: staff.id })).toEqual({ ok: false, error: "notAllowed" });
    expect(await suspendMember(services, mod.actor, { ...input, memberId: mod.id })).toEqual({ ok: false, error: "self" });
    expect(await suspendMember(services, mod.actor, { ...input, memberId: "no-such-member" })).toEqual({ ok: false, error: "notFound" });
    expect(await services.db.user.count({ where: { id: { in: [otherMod.id, staff.id, mod.id] }, suspendedUntil: { not: null } } })).toBe(0);

    expect(await suspendMember(services, admin.actor, { ...input, memberId: otherMod.id })).toMatchObject({ ok: true });
    // Staff may moderate too (their role includes the moderator's).
    expect(await suspendMember(services, staff.actor, { ...input, memberId: member.id })).toMatchObject({ ok: true });
  });

  it("no reason, a one-word reason, an essay or an unknown duration changes nothing and says which field", async () => {
    const mod = await moderator();
    const member = await signedUp();
    for (const [input, field] of [
      [{ days: "7", reason: "" }, "reason"],
      [{ days: "7", reason: "ab" }, "reason"],
      [{ days: "7", reason: "x".repeat(501) }, "reason"],
      [{ days: "forever", reason: "Spam liên tục" }, "days"],
    ] as const) {
      const result = await suspendMember(services, mod.actor, { ...input, memberId: member.id });
      expect(result.ok).toBe(false);
      expect(Object.keys((result as { fieldErrors: object }).fieldErrors)).toEqual([field]);
    }
    expect((await services.db.user.findUniqueOrThrow({ where: { id: member.id } })).suspendedUntil).toBeNull();
  });
});

describe("the profile page", () => {
  it("shows moderators the standing panel and takes their suspension; a member sees no panel and is refused", async () => {
    const mod = await moderator();
    const plain = await createMember(services.db);
    const member = await signedUp();
    const path = `/community/u/${member.username}`;
    const asMod = routeContext(services, mod as never);
    const asMember = routeContext(services, plain);

    const seen = await routeAnswer(() => profileLoader({ request: new Request(`${ORIGIN}${path}`), context: asMod, params: { username: member.username } }));
    expect((seen.data as { standing: unknown }).standing).toEqual({ suspension: null });
    const notSeen = await routeAnswer(() => profileLoader({ request: new Request(`${ORIGIN}${path}`), context: asMember, params: { username: member.username } }));
    expect((notSeen.data as { standing: unknown }).standing).toBeNull();

    const refused = await routeAnswer(() => profileAction({ request: formPost(path, { intent: "suspend", days: "7", reason: "Spam liên tục" }), context: asMember, params: { username: member.username } }));
    expect(refused.status).toBe(403);
    const invalid = await routeAnswer(() => profileAction({ request: formPost(path, { intent: "suspend", days: "30", reason: "ab" }), context: asMod, params: { username: member.username } }));
    expect(invalid).toMatchObject({ status: 400, data: { ok: false, fieldErrors: { reason: ["standing.error.reason"] }, values: { days: "30", reason: "ab" } } });
    const done = await routeAnswer(() => profileAction({ request: formPost(path, { intent: "suspend", days: "7", reason: "Spam liên tục" }), context: asMod, params: { username: member.username } }));
    expect(done).toMatchObject({ status: 200, data: { ok: true, message: "standing.saved.suspended" } });
    const after = await routeAnswer(() => profileLoader({ request: new Request(`${ORIGIN}${path}`), context: asMod, params: { username: member.username } }));
    expect((after.data as { standing: { suspension: { reason: string } } }).standing.suspension.reason).toBe("Spam liên tục");
  });
});
