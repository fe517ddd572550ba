import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { loadConfig } from "../../../server/config.ts";
import { startServer, type RunningServer } from "../../../server/start.ts";
import { createUser } from "../../factories/users.ts";
import { createCategory, createThread } from "../../factories/forums.ts";
import { replyToThread, threadRoom } from "../../../app/modules/forums/forums.server.ts";
import { renameOrMoveThread } from "../../../app/modules/forums/post-actions.server.ts";
import { createScratchPostgresDatabase, usingPostgres, type ScratchPostgresDatabase } from "../../support/services.ts";

// Several instances share one PostgreSQL; socket.io fans out through it.
// The embedded PGlite is single-instance by design, so this runs on PostgreSQL only.
describe.skipIf(!usingPostgres)("two app instances on one PostgreSQL", () => {
  let scratch: ScratchPostgresDatabase;
  let a: RunningServer;
  let b: RunningServer;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    scratch = await createScratchPostgresDatabase();
    const env = { PORT: "0", HOST: "127.0.0.1", DATABASE_URL: scratch.url, LOG_LEVEL: "silent", INSTANCES: "2" };
    a = await startServer(loadConfig(env), { mode: "none" }, { logger: pino({ level: "silent" }) });
    b = await startServer(loadConfig(env), { mode: "none" }, { logger: pino({ level: "silent" }) });
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await a?.stop();
    await b?.stop();
    await scratch?.drop();
  });

  async function socketFor(server: RunningServer, userId: string) {
    const session = await server.services.auth.createSession(userId, { userAgent: null, ip: null });
    const origin = `http://127.0.0.1:${server.port}`;
    const socket = connect(origin, {
      transports: ["websocket"],
      extraHeaders: { cookie: `rapport_session=${session.id}`, origin },
      reconnection: false,
    });
    sockets.push(socket);
    // Every new socket is sent its counts, the bell's last: wait for it, so it is not taken for the emit under test.
    await new Promise<void>((resolve, reject) => {
      socket.once("notification:count", () => resolve());
      socket.once("connect_error", reject);
    });
    return socket;
  }

  it("a notification count emitted on one instance reaches the member's socket on the other", async () => {
    const member = await createUser(a.services.db, { passwordHash: "unused" });
    const other = await createUser(a.services.db, { passwordHash: "unused" });
    const memberSocket = await socketFor(a, member.id);
    const otherSocket = await socketFor(a, other.id);
    let otherGotIt = false;
    otherSocket.on("notification:count", () => (otherGotIt = true));

    const received = new Promise<{ unread: number }>((resolve) => memberSocket.once("notification:count", resolve));
    // The adapter needs a moment to learn of the other instance; retry the emit until it lands.
    const timer = setInterval(() => b.services.realtime.toUser(member.id, "notification:count", { unread: 7 }), 200);
    try {
      expect(await received).toEqual({ unread: 7 });
    } finally {
      clearInterval(timer);
    }
    expect(otherGotIt).toBe(false);
  });

  it("a chat message sent through one instance reaches the manager's socket on the other, and the manager there counts as online", async () => {
    const manager = await createUser(a.services.db, { role: "staff", passwordHash: "unused" });
    const member = await createUser(a.services.db, { passwordHash: "unused", accountManagerId: manager.id });
    const memberSocket = await socketFor(a, member.id);
    const managerSocket = await socketFor(b, manager.id);
    const ask = <T,>(socket: Socket, event: string, payload: unknown) =>
      new Promise<T>((resolve) => socket.emit(event, payload, (result: T) => resolve(result)));

    const opened = await ask<{ ok: boolean; data: { conversation: { id: string } } }>(memberSocket, "chat:open", {});
    const conversationId = opened.data.conversation.id;
    expect(await ask(managerSocket, "chat:open", { conversationId })).toMatchObject({ ok: true, data: { role: "manager" } });
    // Presence is asked of every instance: the manager's tab on B is seen from A.
    expect(await a.services.realtime.onlineUsers([manager.id])).toEqual(new Set([manager.id]));

    // The adapter may need a moment to learn of the other instance: probe until A's emits reach B.
    const probed = new Promise((resolve) => managerSocket.once("notification:count", resolve));
    const timer = setInterval(() => a.services.realtime.toUser(manager.id, "notification:count", { unread: 0 }), 200);
    await probed.finally(() => clearInterval(timer));

    const received: { clientId: string; bodyHtml: string }[] = [];
    const delivered = new Promise((resolve) => managerSocket.on("chat:message", (m: { clientId: string; bodyHtml: string }) => resolve(received.push(m))));
    const clientId = `scale-${randomBytes(6).toString("hex")}`;
    expect(await ask(memberSocket, "chat:send", { conversationId, clientId, body: "Xin chào từ phiên bản A" })).toMatchObject({ ok: true });
    await delivered;
    expect(received[0]).toMatchObject({ clientId, bodyHtml: "<p>Xin chào từ phiên bản A</p>\n" });
    expect(await a.services.db.chatMessage.count({ where: { conversationId } })).toBe(1);
  });
  it("a thread moved into a staff-only category on one instance stops its replies reaching members' and moderators' tabs on both; staff on both still hear them", async () => {
    const staff = await createUser(a.services.db, { role: "staff", passwordHash: "unused" });
    const moderator = await createUser(a.services.db, { role: "moderator", passwordHash: "unused" });
    const member = await createUser(a.services.db, { passwordHash: "unused" });
    const open = await createCategory(a.services.db);
    const lounge = await createCategory(a.services.db, { readRole: "staff" });
    const { threadId } = await createThread(a.services.db, { categoryId: open.id, authorId: member.id, title: "Đổi size áo mưa sau khi giặt", body: "Áo bị co lại.", at: new Date() });
    const tabs = {
      memberOnA: await socketFor(a, member.id),
      moderatorOnB: await socketFor(b, moderator.id),
      memberOnB: await socketFor(b, member.id),
      staffOnA: await socketFor(a, staff.id),
      staffOnB: await socketFor(b, staff.id),
    };
    const ask = <T,>(socket: Socket, event: string, payload?: unknown) =>
      new Promise<T>((resolve) => (payload === undefined ? socket.emit(event, resolve) : socket.emit(event, payload, resolve)));
    for (const tab of Object.values(tabs)) expect(await ask(tab, "thread:watch", { threadId })).toEqual({ ok: true, data: { threadId } });
    // The adapter may need a moment to learn of the other instance: wait until A sees all five tabs in the room.
    await expect.poll(async () => (await a.io.in(threadRoom(threadId)).fetchSockets()).length, { timeout: 10_000 }).toBe(5);

    const heard = new Map<string, string[]>(Object.keys(tabs).map((name) => [name, []]));
    for (const [name, tab] of Object.entries(tabs)) tab.on("forum:post", (event: { post: { id: string } }) => heard.get(name)!.push(event.post.id));
    expect(await renameOrMoveThread(a.services, { id: staff.id, role: "staff" }, { threadId, categoryId: lounge.id })).toEqual({ ok: true });

    const staffHeard = Promise.all([tabs.staffOnA, tabs.staffOnB].map((tab) => new Promise((resolve) => tab.once("forum:post", resolve))));
    const reply = await replyToThread(b.services, { id: staff.id, role: "staff" }, { threadId, body: "Chuyển sang phòng nhân viên để xử lý đổi hàng." });
    if (!reply.ok) throw new Error(`reply refused: ${reply.error}`);
    await staffHeard;
    // A later emit through the same rooms reaches the members' tabs after anything the reply sent them.
    const probes = [tabs.memberOnA, tabs.memberOnB, tabs.moderatorOnB].map((tab) => new Promise((resolve) => tab.once("notification:count", resolve)));
    for (const id of [member.id, moderator.id]) b.services.realtime.toUser(id, "notification:count", { unread: 0 });
    await Promise.all(probes);
    expect(Object.fromEntries(heard)).toEqual({ memberOnA: [], moderatorOnB: [], memberOnB: [], staffOnA: [reply.postId], staffOnB: [reply.postId] });
  });
});
