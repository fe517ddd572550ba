/**
 * Giving people roles: the rules that keep an install manageable (an admin
 * left, nobody demoted out from under their members), what a change leaves
 * behind (audit, notification, search), the person's open sockets ending,
 * /staff/team's loader and action, and the command line (actor null).
 */
import { describe, expect, it, vi } from "vitest";
import { changeRole, teamList } from "../../../app/modules/members/roles.server.ts";
import { AccessDenied } from "../../../app/modules/policy/access-denied.ts";
import { setCoverage } from "../../../app/modules/presence/coverage.server.ts";
import { changeAccountManager } from "../../../app/modules/members/account-manager.server.ts";
import { renderNotification } from "../../../app/i18n/notification-text.ts";
import { SEARCH_SYNC } from "../../../app/modules/search/indexing.server.ts";
import { action as teamAction, loader as teamLoader } from "../../../app/routes/staff.team.tsx";
import { userRoleCommand } from "../../../server/user-role.ts";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import { formPost, ORIGIN, routeAnswer, routeContext } from "../../support/routes.ts";
import { openSocket, serverForThisFile } from "../../support/server.ts";

const file = serverForThisFile();
const services = () => file.t.server.services;
const db = () => services().db;

const roleOf = async (id: string) => (await db().user.findUniqueOrThrow({ where: { id }, select: { role: true } })).role;
const auditOf = (id: string) => db().auditLog.findMany({ where: { action: "member.role_changed", targetMemberId: id }, orderBy: { id: "asc" }, select: { actorId: true, data: true } });

/** Leaves exactly these admins (the file's other tests make their own). */
async function onlyAdmins(...keep: Person[]) {
  await db().user.updateMany({ where: { role: "admin", id: { notIn: keep.map((p) => p.id) } }, data: { role: "staff" } });
}

async function moderator() {
  const person = await createMember(db());
  await db().user.update({ where: { id: person.id }, data: { role: "moderator" } });
  return { ...person, role: "moderator" as const, actor: { id: person.id, role: "moderator" as const } };
}

describe("who may give roles", () => {
  it("admins only: staff, moderators and members are refused, and nothing changes", async () => {
    const member = await createMember(db());
    const mod = await moderator();
    for (const who of [await createStaff(db()), mod, member]) {
      expect(await changeRole(services(), who.actor, { userId: member.id, role: "staff" })).toEqual({ ok: false, error: "notAllowed" });
      await expect(teamList(services(), who.actor)).rejects.toBeInstanceOf(AccessDenied);
    }
    expect(await roleOf(member.id)).toBe("member");
  });

  it("nobody changes their own role, not even to what it is (another admin does it)", async () => {
    const admin = await createAdmin(db());
    await createAdmin(db());
    expect(await changeRole(services(), admin.actor, { userId: admin.id, role: "staff" })).toEqual({ ok: false, error: "self" });
    expect(await changeRole(services(), admin.actor, { email: admin.email, role: "admin" })).toEqual({ ok: false, error: "self" });
    expect(await roleOf(admin.id)).toBe("admin");
  });

  it("refuses an unknown account or role and a deleted account", async () => {
    const admin = await createAdmin(db());
    const gone = await createMember(db());
    // As account deletion leaves the row: erased and marked (app/modules/members/my-data.server.ts).
    await db().user.update({ where: { id: gone.id }, data: { email: `deleted-${gone.id}@deleted.invalid`, displayName: "", deletedAt: new Date() } });
    expect(await changeRole(services(), admin.actor, { email: "nobody@example.test", role: "staff" })).toEqual({ ok: false, error: "unknown" });
    expect(await changeRole(services(), admin.actor, { userId: "no-such-id", role: "staff" })).toEqual({ ok: false, error: "unknown" });
    expect(await changeRole(services(), admin.actor, { userId: gone.id, role: "staff" })).toEqual({ ok: false, error: "deleted" });
    const member = await createMember(db());
    expect(await changeRole(services(), admin.actor, { userId: member.id, role: "owner" })).toEqual({ ok: false, error: "invalidRole" });
    expect(await roleOf(gone.id)).toBe("member");
    expect(await roleOf(member.id)).toBe("member");
  });
});

describe("what a change must not break", () => {
  it("the last admin stays admin; with two, one may demote the other", async () => {
    const first = await createAdmin(db());
    const second = await createAdmin(db());
    await onlyAdmins(first, second);
    expect(await changeRole(services(), first.actor, { userId: second.id, role: "staff" })).toMatchObject({ ok: true, changed: true, from: "admin", to: "staff" });
    expect(await changeRole(services(), null, { userId: first.id, role: "staff" })).toEqual({ ok: false, error: "lastAdmin" });
    expect(await changeRole(services(), null, { userId: first.id, role: "member" })).toEqual({ ok: false, error: "lastAdmin" });
    expect(await roleOf(first.id)).toBe("admin");
  });

  it("two admins demoting each other at the same moment leave one admin", async () => {
    const a = await createAdmin(db());
    const b = await createAdmin(db());
    await onlyAdmins(a, b);
    const results = await Promise.all([
      changeRole(services(), a.actor, { userId: b.id, role: "staff" }),
      changeRole(services(), b.actor, { userId: a.id, role: "staff" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "lastAdmin" }]);
    expect(await db().user.count({ where: { role: "admin", deletedAt: null } })).toBe(1);
  });

  it("staff who manage members keep staff until those members are reassigned (to member or moderator; admin is fine)", async () => {
    const admin = await createAdmin(db());
    const manager = await createStaff(db());
    const other = await createStaff(db());
    const members = [await createMember(db(), { accountManagerId: manager.id }), await createMember(db(), { accountManagerId: manager.id })];
    expect(await changeRole(services(), admin.actor, { userId: manager.id, role: "member" })).toEqual({ ok: false, error: "managesMembers", message: { key: "team.error.managesMembers", vars: { count: 2 } } });
    expect(await changeRole(services(), admin.actor, { userId: manager.id, role: "moderator" })).toEqual({ ok: false, error: "managesMembers", message: { key: "team.error.managesMembers", vars: { count: 2 } } });
    expect(await roleOf(manager.id)).toBe("staff");

    // An admin manages members too, and the same rule holds when they step down.
    expect(await changeRole(services(), admin.actor, { userId: manager.id, role: "admin" })).toMatchObject({ ok: true, changed: true });
    expect(await changeRole(services(), admin.actor, { userId: manager.id, role: "moderator" })).toMatchObject({ ok: false, error: "managesMembers", message: { key: "team.error.managesMembers", vars: { count: 2 } } });
    expect(await changeRole(services(), admin.actor, { userId: manager.id, role: "staff" })).toMatchObject({ ok: true, changed: true });

    for (const m of members) await changeAccountManager(services(), admin.actor, { memberId: m.id, managerId: other.id });
    expect(await changeRole(services(), admin.actor, { userId: manager.id, role: "moderator" })).toMatchObject({ ok: true, changed: true, from: "staff", to: "moderator" });
  });

  it("a demotion racing an assignment to the same manager never leaves a member with a manager who is not staff", async () => {
    const admin = await createAdmin(db());
    for (let round = 0; round < 8; round++) {
      const manager = await createStaff(db());
      const member = await createMember(db());
      const [demotion, assignment] = await Promise.all([
        changeRole(services(), admin.actor, { userId: manager.id, role: "member" }),
        changeAccountManager(services(), admin.actor, { memberId: member.id, managerId: manager.id }),
      ]);
      // One of the two wins; never both.
      expect(demotion.ok && assignment.ok, `round ${round}`).toBe(false);
      const [role, assigned] = [await roleOf(manager.id), (await db().user.findUniqueOrThrow({ where: { id: member.id } })).accountManagerId];
      expect(role === "staff" || assigned !== manager.id, `round ${round}`).toBe(true);
    }
  });

  it("a named backup keeps staff until that cover changes; 'any staff on duty' does not hold anyone", async () => {
    const admin = await createAdmin(db());
    const covered = await createStaff(db());
    const backup = await createStaff(db());
    const onDuty = await createStaff(db());
    await setCoverage(services(), admin.actor, { managerId: covered.id, backup: backup.id });
    await setCoverage(services(), admin.actor, { managerId: onDuty.id, backup: "any" });
    expect(await changeRole(services(), admin.actor, { userId: backup.id, role: "member" })).toEqual({ ok: false, error: "isBackup", message: { key: "team.error.isBackup", vars: { count: 1 } } });
    await setCoverage(services(), admin.actor, { managerId: covered.id, backup: "any" });
    expect(await changeRole(services(), admin.actor, { userId: backup.id, role: "member" })).toMatchObject({ ok: true, changed: true });
  });

  it("a member who joins the staff has no account manager any more; staff who leave it lose their own cover arrangement", async () => {
    const admin = await createAdmin(db());
    const manager = await createStaff(db());
    const recruit = await createMember(db(), { accountManagerId: manager.id });
    expect(await changeRole(services(), admin.actor, { userId: recruit.id, role: "staff" })).toMatchObject({ ok: true, changed: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: recruit.id } })).accountManagerId).toBeNull();

    await setCoverage(services(), admin.actor, { managerId: recruit.id, backup: "any" });
    expect(await changeRole(services(), admin.actor, { userId: recruit.id, role: "moderator" })).toMatchObject({ ok: true, changed: true });
    expect(await db().staffCoverage.count({ where: { managerId: recruit.id } })).toBe(0);
  });

  it("the same role is no change: no audit entry, no notification", async () => {
    const admin = await createAdmin(db());
    const staff = await createStaff(db());
    const notices = await db().outboxEvent.count({ where: { type: "notification.requested" } });
    expect(await changeRole(services(), admin.actor, { email: staff.email.toUpperCase(), role: "staff" })).toMatchObject({ ok: true, changed: false, from: "staff", to: "staff" });
    expect(await auditOf(staff.id)).toEqual([]);
    expect(await db().outboxEvent.count({ where: { type: "notification.requested" } })).toBe(notices);
  });
});

describe("a change", () => {
  it("is audited and told to the person, in their language, with a link to where the role takes them", async () => {
    const admin = await createAdmin(db());
    const member = await createMember(db(), { locale: "en" });
    expect(await changeRole(services(), admin.actor, { userId: member.id, role: "moderator" }, { ip: "203.0.113.9" })).toEqual({
      ok: true,
      changed: true,
      user: { id: member.id, displayName: member.displayName, email: member.email },
      from: "member",
      to: "moderator",
    });
    expect(await roleOf(member.id)).toBe("moderator");
    const [entry] = await db().auditLog.findMany({ where: { action: "member.role_changed", targetMemberId: member.id }, select: { actorId: true, data: true, ip: true } });
    expect(entry).toEqual({ actorId: admin.id, data: { from: "member", to: "moderator" }, ip: "203.0.113.9" });

    // Retried: the server's own dispatcher may be delivering it when the test drains.
    const delivered = <T>(read: () => Promise<T>) => vi.waitFor(async () => (await services().dispatcher.drainNow(), await read()), { timeout: 10_000 });
    const notice = await delivered(() => db().notification.findFirstOrThrow({ where: { userId: member.id, kind: "account.role_changed" }, select: { data: true, link: true } }));
    expect(notice).toEqual({ data: { newRole: "moderator" }, link: "/staff/moderation" });
    expect(renderNotification("en", "account.role_changed", notice.data)).toBe("Your role is now: Moderator");
    expect(renderNotification("vi", "account.role_changed", notice.data)).toBe("Vai trò của bạn giờ là: Điều phối viên");
    // The default channel is email as well: a role is worth knowing about away from the site.
    const mail = await delivered(() => db().mailMessage.findFirstOrThrow({ where: { to: member.email }, select: { subject: true } }));
    expect(mail.subject).toBe("Your role is now: Moderator");
  });

  it("closes the person's open sockets (every tab, every device) and no one else's", async () => {
    const admin = await createAdmin(db());
    const member = await createMember(db());
    const bystander = await createMember(db());
    const connect = async (userId: string) => {
      const session = await services().auth.createSession(userId, { userAgent: "vitest", ip: "127.0.0.1" });
      const { socket, outcome } = openSocket(file.t.origin, { cookie: `rapport_session=${session.id}`, origin: file.t.origin });
      file.sockets.push(socket);
      const { error } = await outcome;
      if (error) throw error;
      return socket;
    };
    const tabs = [await connect(member.id), await connect(member.id)];
    const other = await connect(bystander.id);
    const ended = tabs.map((socket) => new Promise<void>((resolve) => socket.once("session:ended", () => resolve())));
    const closed = tabs.map((socket) => new Promise<void>((resolve) => socket.once("disconnect", () => resolve())));
    await changeRole(services(), admin.actor, { userId: member.id, role: "staff" });
    await Promise.all([...ended, ...closed]);
    expect(tabs.map((s) => s.connected)).toEqual([false, false]);
    expect(await other.emitWithAck("presence:ping")).toMatchObject({ ok: true });
  });

  it("takes a promoted member out of member search, and a demoted one back in", async () => {
    const admin = await createAdmin(db());
    const person = await createMember(db(), { displayName: "Quách Tĩnh Nhi" });
    // Polled: the server's own dispatcher may be holding the sync event when the test drains.
    const found = async () => {
      await services().dispatcher.drainNow();
      const { hits } = await services().search.search({ q: "quach tinh nhi", kinds: ["member"], offset: 0, limit: 5 }, { role: "admin", managerIds: [] });
      return hits.map((h) => h.sourceId);
    };
    await expect.poll(found, { timeout: 10_000 }).toEqual([person.id]);
    await changeRole(services(), admin.actor, { userId: person.id, role: "staff" });
    expect(await db().outboxEvent.count({ where: { type: SEARCH_SYNC, payload: { equals: { kind: "member", id: person.id } } } })).toBeGreaterThanOrEqual(2);
    await expect.poll(found, { timeout: 10_000 }).toEqual([]);
    await changeRole(services(), admin.actor, { userId: person.id, role: "member" });
    await expect.poll(found, { timeout: 10_000 }).toEqual([person.id]);
  });
});

describe("the team list", () => {
  it("lists everyone above member, admins first, with how many members each manages; not members or deleted accounts", async () => {
    const admin = await createAdmin(db());
    const manager = await createStaff(db());
    const member = await createMember(db(), { accountManagerId: manager.id });
    await createMember(db(), { accountManagerId: manager.id });
    const mod = await moderator();
    const departed = await createStaff(db());
    await db().user.update({ where: { id: departed.id }, data: { deletedAt: new Date() } });
    const team = await teamList(services(), admin.actor);
    const ids = team.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([admin.id, manager.id, mod.id]));
    expect(ids).not.toContain(member.id);
    expect(ids).not.toContain(departed.id);
    expect(team.find((p) => p.id === manager.id)).toMatchObject({ email: manager.email, username: manager.username, role: "staff", members: 2 });
    expect(team.find((p) => p.id === mod.id)).toMatchObject({ role: "moderator", members: 0 });
    const order = ["admin", "staff", "moderator"];
    expect(team.map((p) => order.indexOf(p.role))).toEqual([...team.map((p) => order.indexOf(p.role))].sort());
  });
});

describe("/staff/team", () => {
  const get = (who: Person | null) => routeAnswer(() => teamLoader({ request: new Request(`${ORIGIN}/staff/team`), context: routeContext(services(), who), params: {} }) as Promise<unknown>);
  const post = (who: Person | null, fields: Record<string, string>) =>
    routeAnswer(() => teamAction({ request: formPost("/staff/team", fields), context: routeContext(services(), who), params: {} }) as Promise<unknown>);

  it("sends a visitor to log in and refuses everyone but admins, reading and writing", async () => {
    const member = await createMember(db());
    const staff = await createStaff(db());
    expect(await get(null)).toMatchObject({ status: 302, location: expect.stringMatching(/^\/login/) });
    for (const who of [member, await moderator(), staff]) {
      expect(await get(who)).toMatchObject({ status: 403 });
      expect(await post(who, { intent: "change", userId: member.id, role: "admin" })).toMatchObject({ status: 403 });
      expect(await post(who, { intent: "add", email: staff.email, role: "admin" })).toMatchObject({ status: 403 });
    }
    expect(await roleOf(member.id)).toBe("member");
    expect(await roleOf(staff.id)).toBe("staff");
  });

  it("shows an admin the team and changes roles by row or by email, each refusal a message for its row or field", async () => {
    const admin = await createAdmin(db());
    const manager = await createStaff(db());
    await createMember(db(), { accountManagerId: manager.id });
    const newcomer = await createMember(db());
    const page = await get(admin);
    expect(page.status).toBe(200);
    expect((page.data as { team: { id: string }[] }).team.map((p) => p.id)).toContain(manager.id);

    expect(await post(admin, { intent: "add", email: ` ${newcomer.email} `, role: "staff" })).toMatchObject({
      status: 200,
      data: { ok: true, message: "team.saved", name: newcomer.displayName, role: "staff" },
    });
    expect(await roleOf(newcomer.id)).toBe("staff");
    expect(await post(admin, { intent: "change", userId: manager.id, role: "member" })).toMatchObject({
      status: 400,
      data: { ok: false, intent: "change", userId: manager.id, error: "team.error.managesMembers", count: 1 },
    });
    expect(await post(admin, { intent: "change", userId: admin.id, role: "staff" })).toMatchObject({ status: 400, data: { error: "team.error.self", userId: admin.id } });
    expect(await post(admin, { intent: "add", email: "", role: "staff" })).toMatchObject({ status: 400, data: { intent: "add", error: "team.error.emailRequired" } });
    expect(await post(admin, { intent: "add", email: "nobody@example.test", role: "staff" })).toMatchObject({ status: 400, data: { error: "team.error.unknownEmail" } });
    expect(await post(admin, { intent: "add", email: newcomer.email, role: "owner" })).toMatchObject({ status: 400, data: { error: "team.error.invalidRole" } });
    expect(await post(admin, { intent: "add", email: newcomer.email, role: "staff" })).toMatchObject({ status: 200, data: { ok: true, message: "team.unchanged" } });
    expect(await post(admin, { intent: "promote-everyone" })).toMatchObject({ status: 400, data: { error: "team.error.intent" } });
  });
});

describe("the command line (npm run user:role)", () => {
  it("makes the first admin of an install without one, audited as the command line", async () => {
    await db().user.updateMany({ where: { role: "admin" }, data: { role: "staff" } });
    const founder = await createMember(db(), { email: "founder@example.test" });
    expect(await userRoleCommand(services(), ["Founder@Example.test", "admin"])).toEqual({ code: 0, line: `${founder.displayName} <founder@example.test> is now admin (was member).` });
    expect(await roleOf(founder.id)).toBe("admin");
    expect(await auditOf(founder.id)).toEqual([{ actorId: null, data: { from: "member", to: "admin", via: "cli" } }]);
    expect(await userRoleCommand(services(), ["founder@example.test", "admin"])).toMatchObject({ code: 0, line: expect.stringContaining("already admin") });
    // Being the command line does not lift the rules.
    expect(await userRoleCommand(services(), ["founder@example.test", "member"])).toEqual({
      code: 1,
      line: "Not changed: This is the only administrator. Make someone else an administrator first.",
    });
  });

  it("explains bad arguments and unknown accounts with a non-zero exit", async () => {
    expect(await userRoleCommand(services(), [])).toMatchObject({ code: 2, line: expect.stringMatching(/^Usage: npm run user:role -- <email> <member\|moderator\|staff\|admin>/) });
    expect(await userRoleCommand(services(), ["admin", "someone@example.test"])).toMatchObject({ code: 2 });
    expect(await userRoleCommand(services(), ["someone@example.test", "owner"])).toMatchObject({ code: 2, line: expect.stringContaining('Unknown role "owner"') });
    expect(await userRoleCommand(services(), ["nobody@example.test", "staff"])).toEqual({ code: 1, line: expect.stringContaining("No account uses this email address") });
    const manager = await createStaff(db());
    await createMember(db(), { accountManagerId: manager.id });
    expect(await userRoleCommand(services(), [manager.email, "member"])).toEqual({ code: 1, line: expect.stringMatching(/manage 1 member\. Give that member .*\(\/staff\/assignments\)$/) });
  });
});
