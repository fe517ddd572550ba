import http from "node:http";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../../app/modules/auth/tokens.server.ts";
import { CLIENT_EVENTS, userRoom, type ForumPostEvent, type ForumPostView } from "../../../app/realtime/events.ts";
import { getThread, threadRoom } from "../../../app/modules/forums/forums.server.ts";
import { saveCategory } from "../../../app/modules/forums/categories.server.ts";
import { replyToThread } from "../../../app/modules/forums/forums.server.ts";
import { deletePost, editPost, renameOrMoveThread, setPostHidden } from "../../../app/modules/forums/post-actions.server.ts";
import { FLAGS_TO_HIDE, flagPost } from "../../../app/modules/forums/flags.server.ts";
import { createUser } from "../../factories/users.ts";
import { logOut, logOutEverywhere } from "../../../app/modules/auth/accounts.server.ts";
import { createCategory, createThread } from "../../factories/forums.ts";
import { openSocket, serverForThisFile, type TestSocket } from "../../support/server.ts";
import { translator } from "../../../app/i18n/translate.ts";

const vi = translator("vi");

const file = serverForThisFile();

/** A post as the thread page shows it, with what a test does not care about filled in. */
function livePost(post: { id: string; position?: number; bodyHtml?: string; author?: { id: string; displayName: string } }): ForumPostView {
  return {
    position: 1, bodyHtml: "", createdAt: new Date().toISOString(), editedAt: null, deletedAt: null, hiddenAt: null, quotePostId: null,
    ...post,
    author: { id: "u", displayName: "", username: "u", avatarKey: null, avatar: null, role: "member", deletedAt: null, ...post.author },
  };
}
const sockets = file.sockets;

/** A member signed in on one device: the cookie their browser would send. */
async function signedInMember() {
  const user = await createUser(file.t.server.services.db, { passwordHash: "not used by these tests" });
  return { user, ...(await newDevice(user.id)) };
}

async function newDevice(userId: string) {
  const session = await file.t.server.services.auth.createSession(userId, { userAgent: "vitest", ip: "127.0.0.1" });
  return { token: session.id, cookie: `rapport_session=${session.id}` };
}

async function attempt(headers: Record<string, string>) {
  const { socket, outcome } = openSocket(file.t.origin, headers);
  sockets.push(socket);
  return outcome;
}

async function connected(cookie: string) {
  const { socket, error } = await attempt({ cookie, origin: file.t.origin });
  if (error) throw error;
  return socket;
}

describe("who may open a socket", () => {
  it("nobody without a session: no cookie, a made-up one, or a hash copied from the sessions table", async () => {
    const { token } = await signedInMember();
    expect((await attempt({ origin: file.t.origin })).error?.message).toBe("unauthorized");
    expect((await attempt({ origin: file.t.origin, cookie: "rapport_session=made-up-session" })).error?.message).toBe("unauthorized");
    expect((await attempt({ origin: file.t.origin, cookie: `rapport_session=${sha256Hex(token)}` })).error?.message).toBe("unauthorized");
  });

  it("nobody with an expired session", async () => {
    const { token, cookie } = await signedInMember();
    await file.t.server.services.db.session.update({
      where: { id: sha256Hex(token) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await attempt({ origin: file.t.origin, cookie })).error?.message).toBe("unauthorized");
  });

  it("no page on another site, even with the member's cookie (cross-site WebSocket hijacking)", async () => {
    const { cookie } = await signedInMember();
    const foreign = await attempt({ origin: "https://evil.example", cookie });
    expect(foreign.error).toBeDefined();
    expect(foreign.socket.connected).toBe(false);
    const noOrigin = await attempt({ cookie });
    expect(noOrigin.error).toBeDefined();
    expect(noOrigin.socket.connected).toBe(false);
  });

  it("no page on another site that names itself in the Host header, nor one on our host with another scheme or port", async () => {
    const { cookie } = await signedInMember();
    const port = file.t.server.port;
    for (const headers of [
      { origin: "https://evil.example", host: "evil.example" },
      { origin: `https://127.0.0.1:${port}`, host: `127.0.0.1:${port}` },
      { origin: `http://127.0.0.1:${port + 1}`, host: `127.0.0.1:${port + 1}` },
    ]) {
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request(`${file.t.origin}/socket.io/?EIO=4&transport=polling`, { headers: { ...headers, cookie } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on("error", reject);
        request.end();
      });
      expect(status, JSON.stringify(headers)).toBe(403);
    }
  });

  it("a signed-in member's page connects, and the server knows who it is", async () => {
    const { user, cookie } = await signedInMember();
    const socket = await connected(cookie);
    const before = Date.now();
    const ack = await socket.emitWithAck("presence:ping");
    expect(ack).toMatchObject({ ok: true, data: { userId: user.id } });
    if (!ack.ok) return;
    expect(Math.abs(new Date(ack.data.serverTime).getTime() - before)).toBeLessThan(60_000);
  });
});

describe("rooms decide who hears what", () => {
  it("a member's every tab joins their own room, and what is sent to them reaches no one else", async () => {
    const mai = await signedInMember();
    const secondTab = await newDevice(mai.user.id);
    const lan = await signedInMember();
    const maiTabs = [await connected(mai.cookie), await connected(secondTab.cookie)];
    const lanSocket = await connected(lan.cookie);

    const inMaiRoom = (await file.t.server.io.in(userRoom(mai.user.id)).fetchSockets()).map((s) => s.id).sort();
    expect(inMaiRoom).toEqual(maiTabs.map((s) => s.id).sort());

    const lanHeard: unknown[] = [];
    lanSocket.on("notification:count", (payload) => lanHeard.push(payload));
    const heard = maiTabs.map((socket) => new Promise((resolve) => socket.once("notification:count", resolve)));
    file.t.server.services.realtime.toUser(mai.user.id, "notification:count", { unread: 3 });
    expect(await Promise.all(heard)).toEqual([{ unread: 3 }, { unread: 3 }]);
    // Anything for Lan would have arrived before the answer to her own ping.
    await lanSocket.emitWithAck("presence:ping");
    expect(lanHeard).toEqual([]);

    const ended = new Promise<void>((resolve) => maiTabs[0]!.once("session:ended", () => resolve()));
    file.t.server.services.realtime.toUser(mai.user.id, "session:ended");
    await ended;
  });

  it("a reader follows a live thread only if it exists, and stops when they leave it", async () => {
    const { user, cookie } = await signedInMember();
    const category = await createCategory(file.t.server.services.db);
    const { threadId } = await createThread(file.t.server.services.db, {
      categoryId: category.id,
      authorId: user.id,
      title: "Ứng dụng chạy chậm khi mở báo cáo",
      body: "Ai gặp chưa?",
      at: new Date(),
    });
    const socket = await connected(cookie);

    expect(await socket.emitWithAck("thread:watch", { threadId: "no-such-thread" })).toMatchObject({ ok: false, error: "notFound" });
    expect(await socket.emitWithAck("thread:watch", { threadId })).toEqual({ ok: true, data: { threadId } });

    const post = { threadId, post: livePost({ id: "p2", position: 2, bodyHtml: "<p>Có</p>", author: { id: user.id, displayName: "Lan" } }) };
    const heard = new Promise((resolve) => socket.once("forum:post", resolve));
    file.t.server.services.realtime.toRoom(threadRoom(threadId), "forum:post", post);
    expect(await heard).toEqual(post);

    socket.emit("thread:unwatch", { threadId });
    await socket.emitWithAck("presence:ping");
    expect(await file.t.server.io.in(threadRoom(threadId)).fetchSockets()).toHaveLength(0);
  });
});

describe("event order", () => {
  it("handles a tab's events in the order it sent them: a leave sent right after a join wins", async () => {
    const { user, cookie } = await signedInMember();
    const category = await createCategory(file.t.server.services.db);
    const { threadId } = await createThread(file.t.server.services.db, { categoryId: category.id, authorId: user.id, title: "Thứ tự sự kiện", body: "…", at: new Date() });
    const socket = await connected(cookie);
    for (let round = 0; round < 5; round++) {
      // Neither is awaited before the next is sent, as a tab does when the reader navigates away at once.
      const joined = socket.emitWithAck("thread:watch", { threadId });
      socket.emit("thread:unwatch", { threadId });
      const afterBoth = socket.emitWithAck("thread:watch", { threadId: "no-such-thread" });
      expect(await joined).toEqual({ ok: true, data: { threadId } });
      expect(await afterBoth).toMatchObject({ ok: false, error: "notFound" });
      expect(await file.t.server.io.in(threadRoom(threadId)).fetchSockets()).toHaveLength(0);
    }
  });
});

describe("a thread only staff may read", () => {
  it("refuses a member's join with an error ack, and a staff member's once their role has dropped", async () => {
    const db = file.t.server.services.db;
    const category = await createCategory(db, { readRole: "staff", postingRole: "staff" });
    const staff = await createUser(db, { passwordHash: "not used by these tests", role: "staff" });
    const { threadId } = await createThread(db, { categoryId: category.id, authorId: staff.id, title: "Lịch trực chat dịp Tết", body: "Chỉ nhân viên đọc", at: new Date() });

    const member = await signedInMember();
    const memberSocket = await connected(member.cookie);
    // The refusal is told in the member's language (Vietnamese, the default).
    expect(await memberSocket.emitWithAck("thread:watch", { threadId })).toEqual({ ok: false, error: "notFound", message: vi("failure.notFound") });
    expect(await file.t.server.io.in(threadRoom(threadId)).fetchSockets()).toHaveLength(0);

    const staffSocket = await connected((await newDevice(staff.id)).cookie);
    expect(await staffSocket.emitWithAck("thread:watch", { threadId })).toEqual({ ok: true, data: { threadId } });
    staffSocket.emit("thread:unwatch", { threadId });
    // The same socket, after a demotion: the role is read again at the next event.
    await db.user.update({ where: { id: staff.id }, data: { role: "member" } });
    expect(await staffSocket.emitWithAck("thread:watch", { threadId })).toMatchObject({ ok: false, error: "notFound" });
    expect(await file.t.server.io.in(threadRoom(threadId)).fetchSockets()).toHaveLength(0);
  });
});

describe("a category that becomes staff-only", () => {
  it("takes members' open tabs out of its threads' live rooms at once; staff tabs stay", async () => {
    const services = file.t.server.services;
    const admin = await createUser(services.db, { passwordHash: "not used by these tests", role: "admin" });
    const staff = await createUser(services.db, { passwordHash: "not used by these tests", role: "staff" });
    const saved = await saveCategory(services, admin, {
      slug: `noi-bo-${Date.now()}`, nameVi: "Nội bộ", nameEn: "Internal", descriptionVi: "", descriptionEn: "", color: "#1f5fa8", position: "9", postingRole: "member", readRole: "everyone",
    });
    if (!saved.ok) throw new Error("category not saved");
    const { threadId } = await createThread(services.db, { categoryId: saved.id, authorId: staff.id, title: "Kế hoạch khuyến mãi quý tới", body: "Bàn trước khi công bố", at: new Date() });

    const member = await signedInMember();
    const memberTab = await connected(member.cookie);
    const staffTab = await connected((await newDevice(staff.id)).cookie);
    for (const tab of [memberTab, staffTab]) expect(await tab.emitWithAck("thread:watch", { threadId })).toEqual({ ok: true, data: { threadId } });

    const category = await services.db.forumCategory.findUniqueOrThrow({ where: { id: saved.id } });
    const told = new Promise((resolve) => memberTab.once("forum:thread_gone", resolve));
    expect(await saveCategory(services, admin, { ...category, position: String(category.position), readRole: "staff" })).toEqual({ ok: true, id: saved.id });
    // Their page says why the thread went quiet.
    expect(await told).toEqual({ threadId, reason: "unreadable" });

    const inRoom = (await file.t.server.io.in(threadRoom(threadId)).fetchSockets()).map((s) => s.id);
    expect(inRoom).toEqual([staffTab.id]);
    const memberHeard: unknown[] = [];
    memberTab.on("forum:post", (p) => memberHeard.push(p));
    const staffHeard = new Promise((resolve) => staffTab.once("forum:post", resolve));
    services.realtime.toRoom(threadRoom(threadId), "forum:post", { threadId, post: livePost({ id: "p9" }) });
    await staffHeard;
    await memberTab.emitWithAck("presence:ping"); // anything for the member would have come first
    expect(memberHeard).toEqual([]);
  });
});

describe("a NUL character in any event", () => {
  it("is refused with an error ack for every event that answers (thread:watch used to stay silent), ignored for the rest, and the socket answers on", async () => {
    const member = await signedInMember();
    const staff = await createUser(file.t.server.services.db, { role: "staff", passwordHash: "not used by these tests" });
    const nul = "a\u0000b";
    const payload = { threadId: nul, conversationId: nul, memberId: nul, clientId: nul, body: nul, away: true, typing: true, resolved: true, seq: 1 };
    for (const cookie of [member.cookie, (await newDevice(staff.id)).cookie]) {
      const socket = await connected(cookie);
      const emit = socket.timeout(3_000) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
      for (const [event, answers] of Object.entries(CLIENT_EVENTS)) {
        const args = event === "presence:ping" ? [nul] : [payload];
        if (answers === "ack") {
          expect(await emit.emitWithAck(event, ...args), event).toEqual({ ok: false, error: "invalid", message: vi("chat.error.nul") });
        } else {
          (socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit(event, ...args);
        }
      }
      expect(await socket.emitWithAck("presence:ping")).toMatchObject({ ok: true });
      expect(socket.connected).toBe(true);
    }
  });
});

describe("a thread moved into a staff-only category", () => {
  it("stops sending its new replies to members' and moderators' open tabs at once; staff tabs go on hearing them", async () => {
    const services = file.t.server.services;
    const staff = await createUser(services.db, { passwordHash: "not used by these tests", role: "staff" });
    const moderator = await createUser(services.db, { passwordHash: "not used by these tests", role: "moderator" });
    const open = await createCategory(services.db);
    const lounge = await createCategory(services.db, { readRole: "staff" });
    const { threadId } = await createThread(services.db, { categoryId: open.id, authorId: staff.id, title: "Lịch giao hàng dịp Tết", body: "Chúng tôi sẽ báo sớm.", at: new Date() });

    const member = await signedInMember();
    const memberTab = await connected(member.cookie);
    const moderatorTab = await connected((await newDevice(moderator.id)).cookie);
    const staffTab = await connected((await newDevice(staff.id)).cookie);
    for (const tab of [memberTab, moderatorTab, staffTab]) expect(await tab.emitWithAck("thread:watch", { threadId })).toEqual({ ok: true, data: { threadId } });
    const heard = (tab: TestSocket) => {
      const posts: string[] = [];
      tab.on("forum:post", (event) => posts.push(event.post.id));
      return posts;
    };
    const [memberHeard, moderatorHeard] = [heard(memberTab), heard(moderatorTab)];

    expect(await renameOrMoveThread(services, { id: staff.id, role: "staff" }, { threadId, categoryId: lounge.id })).toEqual({ ok: true });
    const staffHeard = new Promise<{ post: { id: string } }>((resolve) => staffTab.once("forum:post", resolve));
    const reply = await replyToThread(services, { id: staff.id, role: "staff" }, { threadId, body: "Chỉ nội bộ: giao hàng nghỉ từ 25 tháng Chạp." });
    if (!reply.ok) throw new Error(`reply refused: ${reply.error}`);
    expect((await staffHeard).post.id).toBe(reply.postId);
    // Anything for the others would have come before the answer to their own ping.
    await Promise.all([memberTab.emitWithAck("presence:ping"), moderatorTab.emitWithAck("presence:ping")]);
    expect(memberHeard).toEqual([]);
    expect(moderatorHeard).toEqual([]);
    expect((await file.t.server.io.in(threadRoom(threadId)).fetchSockets()).map((s) => s.id)).toEqual([staffTab.id]);
  });
});

describe("a post that changes after it was written", () => {
  /** The post as the thread page would load it for this reader now, dates as they cross the wire. */
  async function asLoaded(viewer: { id: string; role: "member" | "moderator" | "staff" | "admin" }, threadId: string, postId: string) {
    const thread = await getThread(file.t.server.services.db, viewer, threadId);
    return JSON.parse(JSON.stringify(thread?.posts.find((p) => p.id === postId))) as ForumPostView;
  }

  it("reaches the thread's open tabs edited, hidden, restored and deleted, each as a page load would show it", async () => {
    const services = file.t.server.services;
    const reader = await signedInMember();
    const author = await createUser(services.db, { passwordHash: "not used by these tests" });
    const replier = await createUser(services.db, { passwordHash: "not used by these tests" });
    const moderator = await createUser(services.db, { passwordHash: "not used by these tests", role: "moderator" });
    const category = await createCategory(services.db);
    const { threadId, postIds } = await createThread(services.db, {
      categoryId: category.id, authorId: author.id, title: "Đổi size áo sau khi mua", body: "Mình muốn đổi size.", at: new Date(),
      replies: [{ authorId: replier.id, body: "Được bạn nhé.", at: new Date() }],
    });
    const replyId = postIds[1]!;
    const tab = await connected(reader.cookie);
    expect(await tab.emitWithAck("thread:watch", { threadId })).toEqual({ ok: true, data: { threadId } });
    const next = <E extends "forum:post_edited" | "forum:post_hidden" | "forum:post_restored" | "forum:post_deleted">(event: E) =>
      new Promise<ForumPostEvent>((resolve) => tab.once(event, resolve as never));
    const readerActor = { id: reader.user.id, role: reader.user.role };
    const authorActor = { id: author.id, role: author.role };
    const moderatorActor = { id: moderator.id, role: moderator.role };
    const replyActor = { id: replier.id, role: replier.role };

    let heard = next("forum:post_edited");
    expect(await editPost(services, replyActor, { postId: replyId, body: "Đổi được trong **7 ngày**." })).toEqual({ ok: true });
    let event = await heard;
    expect(event.threadId).toBe(threadId);
    expect(event.post.bodyHtml).toContain("<strong>7 ngày</strong>");
    expect(event.post.editedAt).not.toBeNull();
    expect(event.post).toEqual(await asLoaded(readerActor, threadId, replyId));

    heard = next("forum:post_hidden");
    expect(await setPostHidden(services, moderatorActor, { postId: replyId, hidden: true })).toEqual({ ok: true });
    event = await heard;
    // Hidden keeps its place but not its words, for this reader as on a reload.
    expect(event.post).toMatchObject({ id: replyId, bodyHtml: "", hiddenAt: expect.any(String) });
    expect(event.post).toEqual(await asLoaded(readerActor, threadId, replyId));

    heard = next("forum:post_restored");
    expect(await setPostHidden(services, moderatorActor, { postId: replyId, hidden: false })).toEqual({ ok: true });
    event = await heard;
    expect(event.post).toMatchObject({ id: replyId, hiddenAt: null });
    expect(event.post.bodyHtml).toContain("<strong>7 ngày</strong>");
    expect(event.post).toEqual(await asLoaded(readerActor, threadId, replyId));

    heard = next("forum:post_deleted");
    expect(await deletePost(services, replyActor, { postId: replyId })).toEqual({ ok: true, threadDeleted: false });
    event = await heard;
    expect(event.post).toMatchObject({ id: replyId, bodyHtml: "", deletedAt: expect.any(String) });
    expect(event.post).toEqual(await asLoaded(readerActor, threadId, replyId));

    // A refused change announces nothing: anything for the tab would come before the answer to its own ping.
    const stray: string[] = [];
    for (const name of ["forum:post_edited", "forum:post_hidden", "forum:post_restored", "forum:post_deleted"] as const) tab.on(name, () => stray.push(name));
    expect(await setPostHidden(services, readerActor, { postId: postIds[0]!, hidden: true })).toEqual({ ok: false, error: "notAllowed" });
    expect(await editPost(services, readerActor, { postId: postIds[0]!, body: "Không phải bài của mình" })).toEqual({ ok: false, error: "notAllowed" });
    await tab.emitWithAck("presence:ping");
    expect(stray).toEqual([]);

    // Deleting the opening post deletes the thread: its readers are told and leave the room.
    const gone = new Promise((resolve) => tab.once("forum:thread_gone", resolve));
    expect(await deletePost(services, authorActor, { postId: postIds[0]! })).toEqual({ ok: true, threadDeleted: true });
    expect(await gone).toEqual({ threadId, reason: "deleted" });
    expect(await file.t.server.io.in(threadRoom(threadId)).fetchSockets()).toHaveLength(0);
  });

  it("hidden by members' flags reaches the thread's open tabs as a moderator's hide does", async () => {
    const services = file.t.server.services;
    const reader = await signedInMember();
    const author = await createUser(services.db, { passwordHash: "not used by these tests" });
    const category = await createCategory(services.db);
    const { threadId, postIds } = await createThread(services.db, { categoryId: category.id, authorId: author.id, title: "Khuyến mãi lạ", body: "Mua ngay!", at: new Date() });
    const tab = await connected(reader.cookie);
    expect(await tab.emitWithAck("thread:watch", { threadId })).toEqual({ ok: true, data: { threadId } });
    const hidden = new Promise<ForumPostEvent>((resolve) => tab.once("forum:post_hidden", resolve));
    for (let i = 0; i < FLAGS_TO_HIDE; i++) {
      const flagger = await createUser(services.db, { passwordHash: "not used by these tests" });
      await flagPost(services, { id: flagger.id, role: flagger.role }, { postId: postIds[0]!, reason: "spam" });
    }
    const event = await hidden;
    expect(event.post).toMatchObject({ id: postIds[0], bodyHtml: "", hiddenAt: expect.any(String) });
    expect(event.post).toEqual(await asLoaded({ id: reader.user.id, role: reader.user.role }, threadId, postIds[0]!));
  });
});

describe("a thread renamed or moved", () => {
  it("shows its readers the new title and category; readers who may not follow it there are told and leave the room before anything names it", async () => {
    const services = file.t.server.services;
    const staff = await createUser(services.db, { passwordHash: "not used by these tests", role: "staff" });
    const staffActor = { id: staff.id, role: staff.role };
    const open = await createCategory(services.db);
    const other = await createCategory(services.db);
    const lounge = await createCategory(services.db, { readRole: "staff" });
    const { threadId } = await createThread(services.db, { categoryId: open.id, authorId: staff.id, title: "Giờ mở cửa dịp lễ", body: "Sẽ cập nhật.", at: new Date() });
    const member = await signedInMember();
    const memberTab = await connected(member.cookie);
    const staffTab = await connected((await newDevice(staff.id)).cookie);
    for (const tab of [memberTab, staffTab]) expect(await tab.emitWithAck("thread:watch", { threadId })).toEqual({ ok: true, data: { threadId } });
    const events = (tab: TestSocket) => {
      const got: { event: string; payload: unknown }[] = [];
      tab.on("forum:thread_moved", (payload) => got.push({ event: "forum:thread_moved", payload }));
      tab.on("forum:thread_gone", (payload) => got.push({ event: "forum:thread_gone", payload }));
      return got;
    };
    const [memberGot, staffGot] = [events(memberTab), events(staffTab)];
    const category = (c: typeof open) => ({ id: c.id, slug: c.slug, nameVi: c.nameVi, nameEn: c.nameEn, color: c.color, readRole: c.readRole });

    // Between two open categories: everyone reading it follows.
    expect(await renameOrMoveThread(services, staffActor, { threadId, title: "Giờ mở cửa dịp Tết", categoryId: other.id })).toEqual({ ok: true });
    const movedOpen = { threadId, title: "Giờ mở cửa dịp Tết", category: category(other) };
    await Promise.all([memberTab.emitWithAck("presence:ping"), staffTab.emitWithAck("presence:ping")]);
    expect(memberGot).toEqual([{ event: "forum:thread_moved", payload: movedOpen }]);
    expect(staffGot).toEqual([{ event: "forum:thread_moved", payload: movedOpen }]);

    // Into the staff lounge: the member is told it is gone, and never hears the lounge's name.
    expect(await renameOrMoveThread(services, staffActor, { threadId, title: "Giờ mở cửa dịp Tết", categoryId: lounge.id })).toEqual({ ok: true });
    await Promise.all([memberTab.emitWithAck("presence:ping"), staffTab.emitWithAck("presence:ping")]);
    expect(memberGot.slice(1)).toEqual([{ event: "forum:thread_gone", payload: { threadId, reason: "unreadable" } }]);
    expect(staffGot.slice(1)).toEqual([{ event: "forum:thread_moved", payload: { ...movedOpen, category: category(lounge) } }]);
    expect((await file.t.server.io.in(threadRoom(threadId)).fetchSockets()).map((s) => s.id)).toEqual([staffTab.id]);
    // And a join is refused from now on.
    expect(await memberTab.emitWithAck("thread:watch", { threadId })).toMatchObject({ ok: false, error: "notFound" });
  });
});

describe("a session that ends takes its sockets with it", () => {
  function endsOnNextEvent(socket: TestSocket) {
    const told = new Promise<void>((resolve) => socket.once("session:ended", () => resolve()));
    const gone = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
    let answered = false;
    socket.emit("presence:ping", () => (answered = true));
    return Promise.all([told, gone]).then(() => answered);
  }

  it("after logging out everywhere, the next event is refused and the socket disconnected", async () => {
    const { user, cookie } = await signedInMember();
    const other = await signedInMember();
    const socket = await connected(cookie);
    const otherSocket = await connected(other.cookie);

    await file.t.server.services.auth.invalidateUserSessions(user.id);
    expect(await endsOnNextEvent(socket)).toBe(false);
    expect(socket.connected).toBe(false);
    // Someone else's socket carries on.
    expect(await otherSocket.emitWithAck("presence:ping")).toMatchObject({ ok: true, data: { userId: other.user.id } });
  });

  it("logging out on the laptop ends the laptop's socket, not the phone's", async () => {
    const laptop = await signedInMember();
    const phone = await newDevice(laptop.user.id);
    const laptopSocket = await connected(laptop.cookie);
    const phoneSocket = await connected(phone.cookie);

    await file.t.server.services.auth.invalidateSession(laptop.token);
    expect(await endsOnNextEvent(laptopSocket)).toBe(false);
    expect(await phoneSocket.emitWithAck("presence:ping")).toMatchObject({ ok: true, data: { userId: laptop.user.id } });
  });

  it("logging out through the app ends that session's sockets at once, though they send nothing: no more hearing a room", async () => {
    const services = file.t.server.services;
    const laptop = await signedInMember();
    const phone = await newDevice(laptop.user.id);
    const tablet = await newDevice(laptop.user.id);
    const [laptopSocket, phoneSocket, tabletSocket] = await Promise.all([connected(laptop.cookie), connected(phone.cookie), connected(tablet.cookie)]);
    const heard = (socket: TestSocket) => {
      const told: string[] = [];
      socket.on("session:ended", () => told.push("session:ended"));
      return { told, gone: new Promise<string>((resolve) => socket.once("disconnect", resolve)) };
    };
    const [onLaptop, onPhone, onTablet] = [heard(laptopSocket), heard(phoneSocket), heard(tabletSocket)];

    // The laptop logs out: its socket goes quietly (the tab is navigating away already).
    await logOut(services, laptop.user.id, laptop.token);
    expect(await onLaptop.gone).toBe("io server disconnect");
    expect(onLaptop.told).toEqual([]);
    expect(phoneSocket.connected).toBe(true);

    // The tablet logs out everywhere: the phone's tab is told (it reloads onto the log-in page), the tablet's goes quietly.
    await logOutEverywhere(services, laptop.user.id, tablet.token);
    expect(await onPhone.gone).toBe("io server disconnect");
    expect(onPhone.told).toEqual(["session:ended"]);
    expect(await onTablet.gone).toBe("io server disconnect");
    expect(onTablet.told).toEqual([]);
    expect(await file.t.server.io.in(userRoom(laptop.user.id)).fetchSockets()).toHaveLength(0);
  });
});

// Runs last: it stops this file's server.
describe("stopping the server", () => {
  it("disconnects the sockets that are open", async () => {
    const { cookie } = await signedInMember();
    const socket = await connected(cookie);
    const gone = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    await file.t.server.stop();
    expect(await gone).toMatch(/server|transport/);
    expect(socket.connected).toBe(false);
  });
});
