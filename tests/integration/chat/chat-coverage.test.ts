/**
 * Chat beyond the two-person channel, over real sockets: presence, cover
 * while a manager is away (a named backup or any staff on duty), a
 * reassignment told in the conversation, reply times, the launcher's badge,
 * canned replies and bulk assignment.
 */
import { describe, expect, it } from "vitest";
import type { ChatMessageView } from "../../../app/modules/chat/chat-types.ts";
import { listInbox, typicalReplySeconds } from "../../../app/modules/chat/chat.server.ts";
import { setCoverage } from "../../../app/modules/presence/coverage.server.ts";
import { deleteCannedReply, listCannedReplies, saveCannedReply } from "../../../app/modules/chat/canned.server.ts";
import { assignMembers, staffCapacity } from "../../../app/modules/members/assignments.server.ts";
import { changeAccountManager } from "../../../app/modules/members/account-manager.server.ts";
import { AccessDenied } from "../../../app/modules/policy/access-denied.ts";
import { openSocket, serverForThisFile, type TestSocket } from "../../support/server.ts";
import { formPost, routeAnswer, routeContext } from "../../support/routes.ts";
import { action as cannedAction } from "../../../app/routes/staff.canned-replies.tsx";
import type { Person } from "../../factories/actors.ts";
import { call, chatPeople, collect, next, open, send } from "../../support/chat.ts";

const file = serverForThisFile();
const { db, person, tab } = chatPeople(file);
const services = () => file.t.server.services;
const actor = (u: { id: string; role: "member" | "staff" | "admin" | "moderator" }) => ({ id: u.id, role: u.role });

/** The next `event` whose payload passes `test`. */
function nextWhere<T>(socket: TestSocket, event: string, test: (payload: T) => boolean, timeoutMs = 3_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${event} within ${timeoutMs} ms`)), timeoutMs);
    const handler = (payload: T) => {
      if (!test(payload)) return;
      clearTimeout(timer);
      socket.off(event as never, handler as never);
      resolve(payload);
    };
    socket.on(event as never, handler as never);
  });
}

/** A member with a waiting question, their manager (no tab open), an admin. */
async function waitingMember() {
  const manager = await person("staff");
  const admin = await person("admin");
  const member = await person("member", manager.id);
  const memberTab = await tab(member.id);
  const { conversation } = await open(memberTab);
  expect((await send(memberTab, conversation.id, "Có ai ở đó không ạ?")).ok).toBe(true);
  return { manager, admin, member, memberTab, conversationId: conversation.id };
}

describe("cover while the manager is away", () => {
  it("a named backup sees and answers a waiting member while the manager is offline, and loses access the moment the manager is back", async () => {
    const c = await waitingMember();
    const backup = await person("staff");
    const bystander = await person("staff");
    expect(await setCoverage(services(), actor(c.admin), { managerId: c.manager.id, backup: backup.id })).toEqual({ ok: true });

    const backupTab = await tab(backup.id);
    const inbox = await listInbox(services(), actor(backup));
    expect(inbox.find((i) => i.id === c.conversationId)).toMatchObject({ coveringFor: c.manager.displayName, unread: 1 });
    expect((await open(backupTab, c.conversationId)).role).toBe("backup");
    expect(await send(backupTab, c.conversationId, "Dạ em trực thay chị Mai, em giúp được ạ.")).toMatchObject({ ok: true });
    // Not named, so not covering.
    expect(await call(await tab(bystander.id), "chat:open", { conversationId: c.conversationId })).toMatchObject({ ok: false, error: "notFound" });

    // The manager opens a tab: cover ends at once, and the backup's socket leaves the conversation.
    const ended = nextWhere<{ conversationId: string }>(backupTab, "inbox:changed", (p) => p.conversationId === "");
    const managerTab = await tab(c.manager.id);
    await ended;
    const backupSees = collect<ChatMessageView>(backupTab, "chat:message");
    await open(managerTab, c.conversationId);
    const managerGets = next<ChatMessageView>(managerTab, "chat:message");
    expect((await send(c.memberTab, c.conversationId, "Cảm ơn em!")).ok).toBe(true);
    expect((await managerGets).bodyHtml).toContain("Cảm ơn em!");
    expect(backupSees).toEqual([]);
    expect(await send(backupTab, c.conversationId, "one more")).toMatchObject({ ok: false, error: "notFound" });
    expect((await listInbox(services(), actor(backup))).some((i) => i.id === c.conversationId)).toBe(false);
  });

  it("while the manager is offline, a member's message notifies the manager and the named backup", async () => {
    const manager = await person("staff");
    const backup = await person("staff");
    const admin = await person("admin");
    await setCoverage(services(), actor(admin), { managerId: manager.id, backup: backup.id });
    const member = await person("member", manager.id);
    const memberTab = await tab(member.id);
    const { conversation } = await open(memberTab);
    await send(memberTab, conversation.id, "Anh ơi, em cần hỗ trợ gấp");
    await services().dispatcher.drainNow();
    await expect.poll(() => db().notification.count({ where: { userId: backup.id, kind: "chat.covered_message" } }), { timeout: 5_000 }).toBe(1);
    const notice = await db().notification.findFirstOrThrow({ where: { userId: backup.id, kind: "chat.covered_message" } });
    expect(notice.link).toBe(`/staff/inbox/${conversation.id}`);
    expect(await db().notification.count({ where: { userId: manager.id, kind: "chat.member_message" } })).toBe(1);
  });

  it("any staff on duty covers a manager marked away; staff who are away themselves do not, and nobody covers an online manager", async () => {
    const c = await waitingMember();
    const onDuty = await person("staff");
    const alsoAway = await person("staff");
    await setCoverage(services(), actor(c.admin), { managerId: c.manager.id, backup: "any" });
    const managerTab = await tab(c.manager.id);
    const dutyTab = await tab(onDuty.id);
    const awayTab = await tab(alsoAway.id);
    expect(await call(awayTab, "chat:away", { away: true })).toMatchObject({ ok: true, data: { presence: "away" } });

    // The manager is online: nobody else may answer.
    expect(await call(dutyTab, "chat:open", { conversationId: c.conversationId })).toMatchObject({ ok: false, error: "notFound" });

    const told = nextWhere<{ presence: string }>(c.memberTab, "chat:presence", (p) => p.presence === "away");
    expect(await call(managerTab, "chat:away", { away: true })).toMatchObject({ ok: true, data: { presence: "away" } });
    await told;
    expect((await open(dutyTab, c.conversationId)).role).toBe("backup");
    expect(await call(awayTab, "chat:open", { conversationId: c.conversationId })).toMatchObject({ ok: false, error: "notFound" });

    // Back from away: cover ends.
    const back = nextWhere<{ presence: string }>(c.memberTab, "chat:presence", (p) => p.presence === "online");
    await call(managerTab, "chat:away", { away: false });
    await back;
    expect(await send(dutyTab, c.conversationId, "still me?")).toMatchObject({ ok: false, error: "notFound" });
  });

  it("the member sees the manager come online and go offline; a member's away request is refused", async () => {
    const c = await waitingMember();
    const online = nextWhere<{ managerId: string; presence: string }>(c.memberTab, "chat:presence", (p) => p.presence === "online");
    const managerTab = await tab(c.manager.id);
    expect(await online).toEqual({ managerId: c.manager.id, presence: "online" });
    const offline = nextWhere<{ presence: string }>(c.memberTab, "chat:presence", (p) => p.presence === "offline");
    managerTab.disconnect();
    await offline;
    expect(await call(c.memberTab, "chat:away", { away: true })).toMatchObject({ ok: false, error: "forbidden" });
    expect(await call(c.memberTab, "chat:away", { away: "yes" })).toMatchObject({ ok: false });
  });

  it("only admins set cover, only to staff, never to the manager themself", async () => {
    const c = await waitingMember();
    const staff = await person("staff");
    expect(await setCoverage(services(), actor(staff), { managerId: c.manager.id, backup: staff.id })).toMatchObject({ ok: false, error: "notAllowed" });
    expect(await setCoverage(services(), actor(c.admin), { managerId: c.manager.id, backup: c.member.id })).toEqual({ ok: false, error: "notStaff" });
    expect(await setCoverage(services(), actor(c.admin), { managerId: c.manager.id, backup: c.manager.id })).toEqual({ ok: false, error: "self" });
    await setCoverage(services(), actor(c.admin), { managerId: c.manager.id, backup: "none" });
    expect(await db().staffCoverage.findUnique({ where: { managerId: c.manager.id } })).toBeNull();
  });
});

describe("reassignment", () => {
  it("tells the member in the conversation who their new manager is, live, and takes the old manager out of the conversation", async () => {
    const c = await waitingMember();
    const newManager = await person("staff");
    const oldTab = await tab(c.manager.id);
    await open(oldTab, c.conversationId);
    const told = nextWhere<ChatMessageView>(c.memberTab, "chat:message", (m) => m.kind === "event");

    expect(await changeAccountManager(services(), actor(c.admin), { memberId: c.member.id, managerId: newManager.id })).toEqual({ ok: true });
    const event = await told;
    expect(event).toMatchObject({ kind: "event", sender: null, event: { type: "manager_changed", name: newManager.displayName } });

    const oldSees = collect<ChatMessageView>(oldTab, "chat:message");
    const newTab = await tab(newManager.id);
    const opened = await open(newTab, c.conversationId);
    expect(opened.role).toBe("manager");
    expect(opened.messages.map((m) => m.kind)).toEqual(["message", "event"]);
    const newGets = next<ChatMessageView>(newTab, "chat:message");
    await send(c.memberTab, c.conversationId, "Chào anh quản lý mới");
    await newGets;
    expect(oldSees).toEqual([]);
    // The member's own history holds the event too (notes never, events always).
    const history = await call<{ messages: ChatMessageView[] }>(c.memberTab, "chat:history", { conversationId: c.conversationId });
    expect(history.ok && history.data.messages.map((m) => m.kind)).toEqual(["message", "event", "message"]);
  });

  it("bulk assignment moves each selected member once, with a touchpoint each; only admins may", async () => {
    const admin = await person("admin");
    const from = await person("staff");
    const to = await person("staff");
    const members = await Promise.all([1, 2, 3].map(() => person("member", from.id)));
    expect(await assignMembers(services(), actor(from), members.map((m) => m.id), to.id)).toEqual({ ok: false, error: "notAllowed" });
    expect(await assignMembers(services(), actor(admin), [...members.map((m) => m.id), members[0]!.id], to.id)).toEqual({ ok: true, changed: 3 });
    expect(await assignMembers(services(), actor(admin), members.map((m) => m.id), to.id)).toEqual({ ok: true, changed: 0 });
    expect(await db().touchpoint.count({ where: { memberId: { in: members.map((m) => m.id) }, kind: "account_manager.changed" } })).toBe(3);
    const capacity = await staffCapacity(services(), actor(admin));
    expect(capacity.staff.find((s) => s.id === to.id)).toMatchObject({ members: 3 });
    expect(capacity.staff.find((s) => s.id === from.id)).toMatchObject({ members: 0 });
  });
});

describe("reply times and the launcher's badge", () => {
  it("records how long the member waited on the reply that ended the wait; the typical reply is the 30-day median, from 3 replies up", async () => {
    const c = await waitingMember();
    const managerTab = await tab(c.manager.id);
    await open(managerTab, c.conversationId);
    const first = await send(managerTab, c.conversationId, "Dạ có em đây");
    const second = await send(managerTab, c.conversationId, "Anh cần gì ạ?");
    if (!first.ok || !second.ok) throw new Error("send failed");
    const stored = await db().chatMessage.findMany({ where: { id: { in: [first.data.message.id, second.data.message.id] } }, orderBy: { seq: "asc" }, select: { responseSeconds: true } });
    expect(stored[0]!.responseSeconds).toBeGreaterThanOrEqual(0);
    expect(stored[1]!.responseSeconds).toBeNull();
    expect(await typicalReplySeconds(services(), c.manager.id)).toBeNull();

    const now = Date.now();
    const old = (days: number, responseSeconds: number, seq: number) => ({
      id: `rt-${c.conversationId}-${seq}`, conversationId: c.conversationId, seq, senderId: c.manager.id, clientId: `rt-${seq}-${now}`,
      body: "x", bodyHtml: "<p>x</p>", rendererVersion: 2, responseSeconds, createdAt: new Date(now - days * 86_400_000),
    });
    await db().chatMessage.createMany({ data: [old(3, 120, 101), old(10, 600, 102), old(40, 5, 103), old(20, 900, 104)] });
    // Within 30 days: ~0, 120, 600, 900 → median 360; the 40-day-old reply does not count.
    expect(await typicalReplySeconds(services(), c.manager.id)).toBe(360);
  });

  it("the member's badge counts unread staff replies live, and clears when they read in any tab", async () => {
    const c = await waitingMember();
    const managerTab = await tab(c.manager.id);
    await open(managerTab, c.conversationId);
    const otherMemberTab = await tab(c.member.id);
    const badge = nextWhere<{ unread: number }>(otherMemberTab, "chat:unread", (p) => p.unread === 1);
    const reply = await send(managerTab, c.conversationId, "Em đây ạ");
    await badge;
    if (!reply.ok) throw new Error(reply.message);
    const cleared = nextWhere<{ unread: number }>(otherMemberTab, "chat:unread", (p) => p.unread === 0);
    await call(c.memberTab, "chat:read", { conversationId: c.conversationId, seq: reply.data.message.seq });
    await cleared;
  });

  it("a tab that opens, or reopens after a network drop, is told the counts it missed: the member's badge and bell", async () => {
    const c = await waitingMember();
    const managerTab = await tab(c.manager.id);
    await open(managerTab, c.conversationId);
    // The member's phone stays online: it hears the reply's badge, so the announcement that
    // follows a send (not awaited by the sender's ack) has gone out before the laptop reconnects.
    const phone = await tab(c.member.id);
    const phoneHeard = nextWhere<{ unread: number }>(phone, "chat:unread", (p) => p.unread === 1);
    c.memberTab.disconnect(); // the member's laptop drops off the network
    const reply = await send(managerTab, c.conversationId, "Anh/chị cần em hỗ trợ gì thêm không ạ?");
    if (!reply.ok) throw new Error(reply.message);
    expect(await phoneHeard).toEqual({ unread: 1 });
    await db().notification.create({ data: { id: `n-${c.conversationId}`, userId: c.member.id, kind: "forum.reply", link: "/community" } });

    const session = await services().auth.createSession(c.member.id, { userAgent: "vitest", ip: "127.0.0.1" });
    const { socket, outcome } = openSocket(file.t.origin, { cookie: `rapport_session=${session.id}`, origin: file.t.origin });
    file.sockets.push(socket);
    const badge = collect<{ unread: number }>(socket, "chat:unread");
    const bell = collect<{ unread: number }>(socket, "notification:count");
    expect((await outcome).error).toBeUndefined();
    expect(badge).toEqual([{ unread: 1 }]);
    expect(bell).toEqual([{ unread: 1 }]);

    // Staff get their bell, never a member's chat badge.
    const staffSession = await services().auth.createSession(c.manager.id, { userAgent: "vitest", ip: "127.0.0.1" });
    const staffTab = openSocket(file.t.origin, { cookie: `rapport_session=${staffSession.id}`, origin: file.t.origin });
    file.sockets.push(staffTab.socket);
    const staffBadge = collect<{ unread: number }>(staffTab.socket, "chat:unread");
    const staffBell = collect<{ unread: number }>(staffTab.socket, "notification:count");
    await staffTab.outcome;
    expect(staffBell).toHaveLength(1);
    expect(staffBadge).toEqual([]);
  });
});

describe("canned replies", () => {
  it("staff see the shared ones and their own; only admins share or change shared ones; members see none", async () => {
    const admin = await person("admin");
    const mai = await person("staff");
    const bao = await person("staff");
    const member = await person("member", mai.id);
    const shared = await saveCannedReply(services(), actor(admin), { title: "Chào", body: "Chào {{member.firstName}}", shared: true });
    const mine = await saveCannedReply(services(), actor(mai), { title: "Của Mai", body: "Dạ {{ member.name }}" });
    if (!shared.ok || !mine.ok) throw new Error("save failed");

    expect((await listCannedReplies(db(), actor(bao))).map((r) => r.id)).toContain(shared.id);
    expect((await listCannedReplies(db(), actor(bao))).map((r) => r.id)).not.toContain(mine.id);
    expect((await listCannedReplies(db(), actor(mai))).find((r) => r.id === shared.id)).toMatchObject({ shared: true, editable: false });
    await expect(listCannedReplies(db(), actor(member))).rejects.toBeInstanceOf(AccessDenied);
    expect(await saveCannedReply(services(), actor(mai), { title: "x", body: "y", shared: true })).toEqual({ ok: false, error: "forbidden" });
    expect(await saveCannedReply(services(), actor(bao), { id: mine.id, title: "x", body: "y" })).toEqual({ ok: false, error: "notFound" });
    expect(await deleteCannedReply(services(), actor(mai), { id: shared.id })).toEqual({ ok: false, error: "forbidden" });
    expect(await saveCannedReply(services(), actor(mai), { title: "", body: "Hi {{member.nickname}}" })).toMatchObject({
      ok: false,
      fieldErrors: { title: ["canned.error.title"], body: ["canned.error.variable"] },
    });
    expect(await deleteCannedReply(services(), actor(mai), { id: mine.id })).toEqual({ ok: true });
  });

  it("a staff member (not admin) saving a shared reply is told, beside the form, that only an admin shares them: a 403, not a 500", async () => {
    const mai = await person("staff");
    const request = formPost("/staff/canned-replies", { title: "Cho mọi người", body: "Chào {{member.firstName}}", shared: "on" });
    const answer = await routeAnswer(() => cannedAction({ request, context: routeContext(services(), mai as unknown as Person), params: {} }) as Promise<unknown>);
    expect(answer).toMatchObject({ status: 403, data: { ok: false, formId: "new", message: "canned.error.forbidden" } });
    expect((await listCannedReplies(db(), actor(mai))).map((r) => r.title)).not.toContain("Cho mọi người");
  });
});
