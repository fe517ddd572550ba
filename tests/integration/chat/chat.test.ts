/**
 * Live chat over real socket.io clients against the real server: who may
 * read and write, never losing or doubling a message, catching up after a
 * reconnect, read receipts, private notes, limits, bad payloads, and the
 * email fallback.
 */
import { describe, expect, it } from "vitest";
import type { ChatMessageView } from "../../../app/modules/chat/chat-types.ts";
import { CHAT_LIMITS, UNREAD_EMAIL_DELAY_MS } from "../../../app/modules/chat/chat.server.ts";
import { serverForThisFile } from "../../support/server.ts";
import { translator } from "../../../app/i18n/translate.ts";
import { call, chatPeople, clientId, next, open, send } from "../../support/chat.ts";

const file = serverForThisFile();

const { db, person, tab } = chatPeople(file);

/** A member, their manager, another staff member, an admin, and a second member, each with a tab open. */
async function cast() {
  const manager = await person("staff");
  const otherStaff = await person("staff");
  const admin = await person("admin");
  const member = await person("member", manager.id);
  const otherMember = await person("member", otherStaff.id);
  const memberTab = await tab(member.id);
  const { conversation } = await open(memberTab);
  return { manager, otherStaff, admin, member, otherMember, memberTab, conversationId: conversation.id };
}

describe("who may read and write a conversation", () => {
  it("the member, their manager and admins; not another member, not another staff member", async () => {
    const c = await cast();
    const managerTab = await tab(c.manager.id);
    const adminTab = await tab(c.admin.id);
    const strangerTab = await tab(c.otherMember.id);
    const otherStaffTab = await tab(c.otherStaff.id);

    expect((await open(managerTab, c.conversationId)).role).toBe("manager");
    expect((await open(adminTab, c.conversationId)).role).toBe("admin");
    for (const outsider of [strangerTab, otherStaffTab]) {
      expect(await call(outsider, "chat:open", { conversationId: c.conversationId })).toMatchObject({ ok: false, error: "notFound" });
      expect(await send(outsider, c.conversationId, "let me in")).toMatchObject({ ok: false, error: "notFound" });
      expect(await call(outsider, "chat:history", { conversationId: c.conversationId })).toMatchObject({ ok: false, error: "notFound" });
      expect(await call(outsider, "chat:read", { conversationId: c.conversationId, seq: 1 })).toMatchObject({ ok: false, error: "notFound" });
    }
    // A member who names someone else's conversation gets theirs refused too, and opening with no id gives their own.
    const strangersOwn = await open(strangerTab);
    expect(strangersOwn.conversation.id).not.toBe(c.conversationId);
    expect(strangersOwn.conversation.member.id).toBe(c.otherMember.id);
    expect(await db().chatMessage.count({ where: { conversationId: c.conversationId } })).toBe(0);
  });

  it("a member who is reassigned takes the conversation to the new manager; the old one is refused from the next event on", async () => {
    const c = await cast();
    const oldTab = await tab(c.manager.id);
    await open(oldTab, c.conversationId);
    expect((await send(c.memberTab, c.conversationId, "Chào anh")).ok).toBe(true);
    await db().user.update({ where: { id: c.member.id }, data: { accountManagerId: c.otherStaff.id } });

    expect(await send(oldTab, c.conversationId, "still here?")).toMatchObject({ ok: false, error: "notFound" });
    const newTab = await tab(c.otherStaff.id);
    const opened = await open(newTab, c.conversationId);
    expect(opened.messages.map((m) => m.bodyHtml)).toEqual(["<p>Chào anh</p>\n"]);
  });
});

describe("never lose, never duplicate", () => {
  it("a message is stored before the ack, and a retried send returns the stored message instead of a second one", async () => {
    const c = await cast();
    const id = clientId();
    const first = await call<{ message: ChatMessageView; duplicate: boolean }>(c.memberTab, "chat:send", { conversationId: c.conversationId, clientId: id, body: "Đơn hàng #123 giao chưa?" });
    if (!first.ok) throw new Error(first.message);
    expect(await db().chatMessage.findUnique({ where: { id: first.data.message.id }, select: { body: true } })).toEqual({ body: "Đơn hàng #123 giao chưa?" });

    const retries = await Promise.all(
      [c.memberTab, await tab(c.member.id)].map((s) => call<{ message: ChatMessageView; duplicate: boolean }>(s, "chat:send", { conversationId: c.conversationId, clientId: id, body: "Đơn hàng #123 giao chưa?" })),
    );
    for (const retry of retries) expect(retry).toMatchObject({ ok: true, data: { duplicate: true, message: { id: first.data.message.id, seq: 1 } } });
    expect(await db().chatMessage.count({ where: { conversationId: c.conversationId } })).toBe(1);
  });

  it("sends from both sides at once get distinct, gap-free seqs", async () => {
    const c = await cast();
    const managerTab = await tab(c.manager.id);
    await open(managerTab, c.conversationId);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => send(i % 2 ? managerTab : c.memberTab, c.conversationId, `tin ${i}`)));
    const seqs = results.map((r) => (r.ok ? r.data.message.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("after a reconnect the client fetches everything after the last seq it has, and nothing twice", async () => {
    const c = await cast();
    const managerTab = await tab(c.manager.id);
    await open(managerTab, c.conversationId);
    await send(c.memberTab, c.conversationId, "một");
    const seen = await send(managerTab, c.conversationId, "hai");
    if (!seen.ok) throw new Error(seen.message);
    c.memberTab.disconnect();
    for (const body of ["ba", "bốn", "năm"]) await send(managerTab, c.conversationId, body);

    const again = await tab(c.member.id);
    await open(again);
    const caughtUp = await call<{ messages: ChatMessageView[]; more: boolean }>(again, "chat:history", { conversationId: c.conversationId, after: seen.data.message.seq });
    expect(caughtUp.ok && caughtUp.data.messages.map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(caughtUp.ok && caughtUp.data.more).toBe(false);
  });

  it("history scrolls upward page by page", async () => {
    const c = await cast();
    for (let i = 1; i <= 7; i++) await db().chatMessage.create({
      data: { id: `hist-${c.conversationId}-${i}`, conversationId: c.conversationId, seq: i, senderId: c.member.id, clientId: `seed-${c.conversationId}-${i}`, body: `m${i}`, bodyHtml: `<p>m${i}</p>`, rendererVersion: 2 },
    });
    await db().conversation.update({ where: { id: c.conversationId }, data: { lastSeq: 7 } });
    const latest = await call<{ messages: ChatMessageView[]; more: boolean }>(c.memberTab, "chat:history", { conversationId: c.conversationId, limit: 3 });
    expect(latest.ok && latest.data.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    const older = await call<{ messages: ChatMessageView[]; more: boolean }>(c.memberTab, "chat:history", { conversationId: c.conversationId, before: 5, limit: 3 });
    expect(older.ok && older.data.messages.map((m) => m.seq)).toEqual([2, 3, 4]);
    expect(older.ok && older.data.more).toBe(true);
  });
});

describe("live delivery, typing, receipts and notes", () => {
  it("every tab of the member and the manager gets the message; typing and 'seen' reach the other side", async () => {
    const c = await cast();
    const secondMemberTab = await tab(c.member.id);
    await open(secondMemberTab);
    const managerTab = await tab(c.manager.id);
    await open(managerTab, c.conversationId);

    const arrivals = [next<ChatMessageView>(secondMemberTab, "chat:message"), next<ChatMessageView>(managerTab, "chat:message")];
    await send(c.memberTab, c.conversationId, "Xin chào **chị**");
    for (const arrived of await Promise.all(arrivals)) expect(arrived.bodyHtml).toBe("<p>Xin chào <strong>chị</strong></p>\n");

    const typing = next<{ typing: boolean; isStaff: boolean }>(c.memberTab, "chat:typing");
    managerTab.emit("chat:typing", { conversationId: c.conversationId, typing: true });
    expect(await typing).toMatchObject({ typing: true, isStaff: true });

    const seen = next<{ seq: number; isStaff: boolean; at: string }>(c.memberTab, "chat:read");
    expect(await call(managerTab, "chat:read", { conversationId: c.conversationId, seq: 1 })).toEqual({ ok: true, data: { seq: 1 } });
    expect(await seen).toMatchObject({ seq: 1, isStaff: true });
    // Receipts never move backwards, and never past the last message.
    expect(await call(managerTab, "chat:read", { conversationId: c.conversationId, seq: 0 })).toEqual({ ok: true, data: { seq: 1 } });
    expect(await call(managerTab, "chat:read", { conversationId: c.conversationId, seq: 99 })).toEqual({ ok: true, data: { seq: 1 } });
    expect((await open(c.memberTab)).reads.staff).toMatchObject({ seq: 1 });
  });

  it("a private note reaches staff only: not the member's tabs, not their history", async () => {
    const c = await cast();
    const managerTab = await tab(c.manager.id);
    await open(managerTab, c.conversationId);
    const memberHeard: ChatMessageView[] = [];
    c.memberTab.on("chat:message", (m) => memberHeard.push(m));

    expect(await send(c.memberTab, c.conversationId, "a note?", { note: true })).toMatchObject({ ok: false, error: "forbidden" });
    const note = await send(managerTab, c.conversationId, "Khách VIP, ưu tiên giao sáng", { note: true });
    expect(note).toMatchObject({ ok: true, data: { message: { kind: "note" } } });
    await send(managerTab, c.conversationId, "Dạ em kiểm tra ngay ạ");
    await expect.poll(() => memberHeard.length).toBe(1);
    expect(memberHeard[0]!.kind).toBe("message");

    const memberView = await open(c.memberTab);
    expect(memberView.messages.map((m) => m.kind)).toEqual(["message"]);
    const staffView = await open(managerTab, c.conversationId);
    expect(staffView.messages.map((m) => m.kind)).toEqual(["note", "message"]);
  });
});

describe("limits and bad input", () => {
  it(`allows a burst of ${CHAT_LIMITS.burst.max}, then refuses with a message and stores nothing more`, async () => {
    const c = await cast();
    const results = [];
    for (let i = 0; i <= CHAT_LIMITS.burst.max; i++) results.push(await send(c.memberTab, c.conversationId, `nhanh ${i}`));
    expect(results.slice(0, CHAT_LIMITS.burst.max).every((r) => r.ok)).toBe(true);
    const refused = results.at(-1) as { ok: false; error: string; message: string; retryAfterSeconds: number };
    // Told in the member's language (Vietnamese, the default), with the wait.
    expect(refused).toMatchObject({ ok: false, error: "rateLimited", message: translator("vi")("failure.rateLimited", { seconds: refused.retryAfterSeconds }) });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(await db().chatMessage.count({ where: { conversationId: c.conversationId } })).toBe(CHAT_LIMITS.burst.max);
  });

  it("wrong types, empty or oversized bodies, bad client ids and unknown conversations get an error ack and change nothing", async () => {
    const c = await cast();
    const bad: unknown[] = [
      "not an object",
      null,
      { conversationId: c.conversationId, clientId: clientId(), body: 42 },
      { conversationId: c.conversationId, clientId: clientId(), body: "   " },
      { conversationId: c.conversationId, clientId: clientId(), body: "x".repeat(4_001) },
      { conversationId: c.conversationId, clientId: "short", body: "hi" },
      { conversationId: c.conversationId, clientId: "has spaces in it!", body: "hi" },
      { conversationId: "no-such-conversation", clientId: clientId(), body: "hi" },
      { conversationId: ["array"], clientId: clientId(), body: "hi" },
    ];
    for (const payload of bad) {
      const result = await call(c.memberTab, "chat:send", payload);
      expect(result.ok, JSON.stringify(payload)).toBe(false);
      expect((result as { message: string }).message.length).toBeGreaterThan(3);
    }
    expect(await call(c.memberTab, "chat:history", { conversationId: c.conversationId, before: "yesterday" })).toMatchObject({ ok: false, error: "invalid" });
    expect(await call(c.memberTab, "chat:read", { conversationId: c.conversationId, seq: -1 })).toMatchObject({ ok: false, error: "invalid" });
    expect(await db().chatMessage.count({ where: { conversationId: c.conversationId } })).toBe(0);
  });
});

describe("when someone is away", () => {
  it("a member's message to a manager with no tab open is emailed to the manager", async () => {
    const c = await cast();
    await send(c.memberTab, c.conversationId, "Anh ơi, em cần hóa đơn gấp");
    // The server's own dispatcher delivers in the background.
    await expect.poll(() => db().mailMessage.count({ where: { to: c.manager.email } }), { timeout: 5_000 }).toBe(1);
    const notices = await db().notification.findMany({ where: { userId: c.manager.id, kind: "chat.member_message" } });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.link).toBe(`/staff/inbox/${c.conversationId}`);
  });

  it("no email to a manager who is online", async () => {
    const c = await cast();
    await tab(c.manager.id);
    const sent = await send(c.memberTab, c.conversationId, "Online thì không cần email");
    if (!sent.ok) throw new Error(sent.message);
    // Wait until this message's event has been handled, then check nothing was asked for.
    const handled = async () =>
      (await db().outboxEvent.findMany({ where: { type: "chat.member_wrote", status: "done" }, select: { payload: true } })).some(
        (e) => (e.payload as { conversationId: string }).conversationId === c.conversationId,
      );
    await expect.poll(handled, { timeout: 5_000 }).toBe(true);
    await expect.poll(() => db().outboxEvent.count({ where: { status: "pending", availableAt: { lte: new Date() } } }), { timeout: 5_000 }).toBe(0);
    expect(await db().notification.count({ where: { userId: c.manager.id, kind: "chat.member_message" } })).toBe(0);
  });

  it(`staff replies still unread after ${UNREAD_EMAIL_DELAY_MS / 60_000} minutes are emailed to the member once; read ones are not`, async () => {
    const c = await cast();
    const managerTab = await tab(c.manager.id);
    await open(managerTab, c.conversationId);
    await send(managerTab, c.conversationId, "Em gửi hóa đơn rồi ạ");
    await send(managerTab, c.conversationId, "Anh kiểm tra email nhé");
    // Not yet due.
    await file.t.server.services.dispatcher.drainNow();
    expect(await db().notification.count({ where: { userId: c.member.id, kind: "chat.unread_reply" } })).toBe(0);
    await db().outboxEvent.updateMany({ where: { type: "chat.reply_sent", status: "pending" }, data: { availableAt: new Date(Date.now() - 1000) } });
    await file.t.server.services.dispatcher.drainNow();
    await expect.poll(() => db().mailMessage.count({ where: { to: c.member.email } }), { timeout: 5_000 }).toBe(1);
    const notices = await db().notification.findMany({ where: { userId: c.member.id, kind: "chat.unread_reply" } });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.link).toBe("/chat");

    // A reply the member reads in time is not emailed.
    const later = await send(managerTab, c.conversationId, "Còn gì nữa không ạ?");
    if (!later.ok) throw new Error(later.message);
    await call(c.memberTab, "chat:read", { conversationId: c.conversationId, seq: later.data.message.seq });
    await db().outboxEvent.updateMany({ where: { type: "chat.reply_sent", status: "pending" }, data: { availableAt: new Date(Date.now() - 1000) } });
    await file.t.server.services.dispatcher.drainNow();
    await expect.poll(() => db().outboxEvent.count({ where: { type: "chat.reply_sent", status: "pending" } }), { timeout: 5_000 }).toBe(0);
    await file.t.server.services.dispatcher.drainNow();
    expect(await db().notification.count({ where: { userId: c.member.id, kind: "chat.unread_reply" } })).toBe(1);
  });
});

describe("the relationship history", () => {
  it("one chat touchpoint per conversation and day, with the message count and the first response time; resolving is one too", async () => {
    const c = await cast();
    const managerTab = await tab(c.manager.id);
    await open(managerTab, c.conversationId);
    await send(c.memberTab, c.conversationId, "Câu hỏi 1");
    await send(c.memberTab, c.conversationId, "Câu hỏi 2");
    await send(managerTab, c.conversationId, "Trả lời");
    const sessions = await db().touchpoint.findMany({ where: { memberId: c.member.id, kind: "chat.session" } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.data).toMatchObject({ messages: 3, firstResponseSeconds: expect.any(Number) });

    expect(await call(c.memberTab, "chat:resolve", { conversationId: c.conversationId, resolved: true })).toMatchObject({ ok: false, error: "forbidden" });
    expect(await call(managerTab, "chat:resolve", { conversationId: c.conversationId, resolved: true })).toEqual({ ok: true, data: null });
    expect(await db().touchpoint.count({ where: { memberId: c.member.id, kind: "chat.resolved" } })).toBe(1);
    // The member writing again reopens it.
    await send(c.memberTab, c.conversationId, "Thêm một câu");
    expect((await db().conversation.findUniqueOrThrow({ where: { id: c.conversationId } })).status).toBe("open");
  });
});
