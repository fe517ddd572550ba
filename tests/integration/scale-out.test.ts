import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { pino } from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { loadConfig } from "../../server/config.ts";
import { startServer, type RunningServer } from "../../server/start.ts";
import { createUser } from "../factories/users.ts";
import { usingPostgres } from "../support/services.ts";

// Several instances share one PostgreSQL; socket.io fans out through it.
// The embedded PGlite is single-instance by design, so this runs on PostgreSQL only.
describe.skipIf(!usingPostgres)("two app instances on one PostgreSQL", () => {
  const name = `rapport_scale_${randomBytes(5).toString("hex")}`;
  const adminUrl = process.env.TEST_DATABASE_URL!;
  let a: RunningServer;
  let b: RunningServer;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const env = { PORT: "0", HOST: "127.0.0.1", DATABASE_URL: url.toString(), LOG_LEVEL: "silent", INSTANCES: "2" };
    a = await startServer(loadConfig(env), { mode: "none" }, { logger: pino({ level: "silent" }) });
    b = await startServer(loadConfig(env), { mode: "none" }, { logger: pino({ level: "silent" }) });
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await a?.stop();
    await b?.stop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
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
});
