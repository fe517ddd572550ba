import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { pino } from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { loadConfig } from "../../../server/config.ts";
import { startServer, type RunningServer } from "../../../server/start.ts";
import { createUser } from "../../factories/users.ts";
import { usingPostgres } from "../../support/services.ts";
import { call } from "../../support/chat.ts";
import type { ChatOpened } from "../../../app/realtime/events.ts";
import { postgresBinDir, startDisposablePostgres, type DisposablePostgres } from "../../support/disposable-postgres.ts";

// A database restart is routine (minor upgrades, failover, a managed database's maintenance):
// the app must ride it out. It runs once, with the PostgreSQL project, on a server of its own.
const bin = postgresBinDir();
if (usingPostgres && !bin) console.warn("database-restart: skipped, no PostgreSQL server binaries here (set POSTGRES_BIN_DIR)");

describe.skipIf(!usingPostgres || !bin)("two instances while their PostgreSQL restarts", () => {
  let postgres: DisposablePostgres;
  let a: RunningServer;
  let b: RunningServer;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    postgres = await startDisposablePostgres();
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query("CREATE DATABASE rapport");
    await admin.end();
    const url = postgres.url.replace(/\/postgres$/, "/rapport");
    const env = { PORT: "0", HOST: "127.0.0.1", DATABASE_URL: url, LOG_LEVEL: "silent", INSTANCES: "2" };
    a = await startServer(loadConfig(env), { mode: "none" }, { logger: pino({ level: "silent" }) });
    b = await startServer(loadConfig(env), { mode: "none" }, { logger: pino({ level: "silent" }) });
  }, 90_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await a?.stop();
    await b?.stop();
    await postgres?.dispose();
  }, 60_000);

  async function socketFor(server: RunningServer, userId: string) {
    const session = await server.services.auth.createSession(userId, { userAgent: null, ip: null });
    const origin = `http://127.0.0.1:${server.port}`;
    const socket = connect(origin, { transports: ["websocket"], extraHeaders: { cookie: `rapport_session=${session.id}`, origin }, reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("notification:count", () => resolve());
      socket.once("connect_error", reject);
    });
    return socket;
  }

  const health = (server: RunningServer) =>
    fetch(`http://127.0.0.1:${server.port}/healthz`).then((r) => r.status, () => 0);

  /** Resolves once `payload` emitted on `from` reaches `socket` (the adapter may be reconnecting). */
  async function crossInstance(from: RunningServer["services"], userId: string, socket: Socket, unread: number) {
    const received = new Promise<{ unread: number }>((resolve) => {
      const listener = (payload: { unread: number }) => {
        if (payload.unread !== unread) return;
        socket.off("notification:count", listener);
        resolve(payload);
      };
      socket.on("notification:count", listener);
    });
    const timer = setInterval(() => from.realtime.toUser(userId, "notification:count", { unread }), 200);
    try {
      return await received;
    } finally {
      clearInterval(timer);
    }
  }

  it("neither process exits, /healthz says 503 while the database is gone and 200 within 5 s of its return, and fan-out between them resumes", async () => {
    const member = await createUser(a.services.db, { passwordHash: "unused" });
    const socket = await socketFor(a, member.id);
    expect(await crossInstance(b.services, member.id, socket, 3)).toEqual({ unread: 3 });

    await postgres.stop();
    // Every pooled and listening connection saw 57P01; an unhandled 'error' would fail this file.
    expect(await health(a)).toBe(503);
    expect(await health(b)).toBe(503);

    // A page asked for in the gap: the visitor's language, Retry-After, no stack trace. With a
    // session cookie the session lookup is what meets the missing database.
    const session = await fetch(`http://127.0.0.1:${a.port}/community`, {
      headers: { cookie: "rapport_session=whatever", "accept-language": "vi" },
    });
    expect(session.status).toBe(503);
    expect(session.headers.get("retry-after")).toBe("5");
    const page = await session.text();
    expect(page).toContain("Rapport đang tạm gián đoạn");
    expect(page).not.toMatch(/at .*\.ts:\d+|Prisma|57P01/);
    // Now known to be down: the next page is answered at once, without asking the pool.
    const anonymous = await fetch(`http://127.0.0.1:${a.port}/ideas`, { headers: { "accept-language": "en" } });
    expect(anonymous.status).toBe(503);
    expect(await anonymous.text()).toContain("Rapport is unavailable for a moment");

    await postgres.start();
    const back = Date.now();
    for (const server of [a, b]) {
      while ((await health(server)) !== 200) {
        expect(Date.now() - back, "healthz back to 200 within 5 s").toBeLessThan(5_000);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // Pages are served again (no Remix in this test: Express's own 404 is the "served" answer).
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${a.port}/ideas`)).status, { timeout: 5_000 }).not.toBe(503);
    // The adapter's LISTEN connection came back by itself (it retries within about 3 s).
    expect(await crossInstance(b.services, member.id, socket, 4)).toEqual({ unread: 4 });
    expect(await crossInstance(a.services, member.id, socket, 5)).toEqual({ unread: 5 });

    // Writes work again on both.
    await expect(createUser(b.services.db, { passwordHash: "unused" })).resolves.toMatchObject({ id: expect.any(String) });
  }, 60_000);

  it("a chat message sent while the database is gone gets an error ack, the socket and session stay, and the same message resent after is stored once", async () => {
    const manager = await createUser(a.services.db, { role: "staff", passwordHash: "unused" });
    const member = await createUser(a.services.db, { passwordHash: "unused", accountManagerId: manager.id });
    const socket = await socketFor(a, member.id);
    const opened = await call<ChatOpened>(socket, "chat:open", {});
    if (!opened.ok) throw new Error(opened.message);
    const conversationId = opened.data.conversation.id;
    const message = { conversationId, clientId: "restart-0001", body: "Đơn hàng của tôi đến đâu rồi?" };

    await postgres.stop();
    expect(await call(socket, "chat:send", message)).toMatchObject({ ok: false, error: "unavailable" });
    expect(socket.connected).toBe(true);
    // A tab that connects now is told to come back, not refused as logged out; nothing crashes.
    const session = await a.services.auth.createSession(member.id, { userAgent: null, ip: null }).catch(() => null);
    expect(session).toBeNull();
    const late = connect(`http://127.0.0.1:${a.port}`, {
      transports: ["websocket"],
      extraHeaders: { cookie: "rapport_session=some-session", origin: `http://127.0.0.1:${a.port}` },
      reconnection: false,
    });
    sockets.push(late);
    expect((await new Promise<Error>((resolve) => late.once("connect_error", resolve))).message).toBe("unavailable");

    await postgres.start();
    await expect.poll(() => health(a), { timeout: 5_000 }).toBe(200);
    // The browser's client resends with the same client id; a second copy changes nothing.
    const first = await call<{ message: { id: string }; duplicate: boolean }>(socket, "chat:send", message);
    const again = await call<{ message: { id: string }; duplicate: boolean }>(socket, "chat:send", message);
    expect(first).toMatchObject({ ok: true, data: { duplicate: false } });
    expect(again).toMatchObject({ ok: true, data: { duplicate: true } });
    expect(await a.services.db.chatMessage.count({ where: { conversationId, body: message.body } })).toBe(1);
  }, 60_000);

  it("a fast restart (what an operator runs) under a stream of requests: every answer is 200 or 503, never a dropped connection", async () => {
    const statuses = new Set<number>();
    let stop = false;
    const load = (async () => {
      while (!stop) {
        statuses.add(await health(a));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await postgres.restart();
    const back = Date.now();
    while ((await health(a)) !== 200) {
      expect(Date.now() - back).toBeLessThan(5_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    stop = true;
    await load;
    expect([...statuses].every((s) => s === 200 || s === 503), `statuses seen: ${[...statuses].join(", ")}`).toBe(true);
    await expect(createUser(a.services.db, { passwordHash: "unused" })).resolves.toMatchObject({ id: expect.any(String) });
  }, 60_000);
});
