import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { pino } from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { loadConfig } from "../../server/config.ts";
import { startServer, type RunningServer } from "../../server/start.ts";
import { createUser } from "../factories/users.ts";
import { createTestDatabase, type TestDatabase } from "../support/services.ts";

let testDb: TestDatabase;
let server: RunningServer;
let origin: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = await startServer(
    loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", APP_SECRET: "x".repeat(40) }),
    { mode: "none" },
    { logger: pino({ level: "silent" }), database: testDb.database },
  );
  origin = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.stop();
  await testDb.drop();
});

describe("HTTP", () => {
  it("answers the health check from the database", async () => {
    const response = await fetch(`${origin}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("sends security headers with a fresh CSP nonce per request and a request id", async () => {
    const [a, b] = await Promise.all([fetch(`${origin}/healthz`), fetch(`${origin}/healthz`)]);
    const nonce = (r: Response) => r.headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce(a)).toBeTruthy();
    expect(nonce(a)).not.toBe(nonce(b));
    expect(a.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(a.headers.get("x-powered-by")).toBeNull();
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await fetch(`${origin}/healthz`, { headers: { "x-request-id": "trace-1234-abcd" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-1234-abcd");
  });

  it("refuses a state-changing request from another site, with a reason", async () => {
    const foreign = await fetch(`${origin}/login`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain("Origin check");
    const missing = await fetch(`${origin}/login`, { method: "POST" });
    expect(missing.status).toBe(403);
    // Our own origin passes the check (and then finds no handler in this Remix-less server).
    const own = await fetch(`${origin}/login`, { method: "POST", headers: { origin } });
    expect(own.status).toBe(404);
  });
});

describe("socket.io handshake", () => {
  async function sessionCookie() {
    const user = await createUser(server.services.db, { passwordHash: "unused" });
    const session = await server.services.auth.createSession(user.id, { userAgent: null, ip: null });
    return { user, session, cookie: `rapport_session=${session.id}` };
  }

  function open(headers: Record<string, string>) {
    const socket = connect(origin, { transports: ["websocket"], extraHeaders: headers, reconnection: false });
    sockets.push(socket);
    return new Promise<{ socket: Socket; error?: Error }>((resolve) => {
      socket.once("connect", () => resolve({ socket }));
      socket.once("connect_error", (error) => resolve({ socket, error }));
    });
  }

  it("refuses a socket without a session, with a bogus one, or from another site", async () => {
    expect((await open({ origin })).error?.message).toBe("unauthorized");
    expect((await open({ origin, cookie: "rapport_session=not-a-real-session" })).error?.message).toBe("unauthorized");
    const { cookie } = await sessionCookie();
    expect((await open({ origin: "https://evil.example", cookie })).error).toBeDefined();
  });

  it("accepts the session cookie, answers as that user, and puts the socket in its user room", async () => {
    const { user, cookie } = await sessionCookie();
    const other = await sessionCookie();
    const { socket, error } = await open({ origin, cookie });
    expect(error).toBeUndefined();
    const { socket: otherSocket } = await open({ origin, cookie: other.cookie });

    const ack = await socket.emitWithAck("presence:ping");
    expect(ack).toMatchObject({ ok: true, data: { userId: user.id } });

    let otherGot = false;
    otherSocket.on("notification:count", () => (otherGot = true));
    const got = new Promise((resolve) => socket.once("notification:count", resolve));
    server.services.realtime.toUser(user.id, "notification:count", { unread: 3 });
    expect(await got).toEqual({ unread: 3 });
    await otherSocket.emitWithAck("presence:ping");
    expect(otherGot).toBe(false);
  });

  it("ends the socket on its next event once the session is gone (log out everywhere)", async () => {
    const { user, cookie } = await sessionCookie();
    const { socket } = await open({ origin, cookie });
    await server.services.auth.invalidateUserSessions(user.id);
    const ended = new Promise<void>((resolve) => socket.once("session:ended", () => resolve()));
    const disconnected = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
    socket.emit("presence:ping", () => {});
    await ended;
    await disconnected;
    expect(socket.connected).toBe(false);
  });
});

describe("graceful shutdown", () => {
  it("stops accepting connections and closes the database", async () => {
    const db = await createTestDatabase();
    const other = await startServer(
      loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" }),
      { mode: "none" },
      { logger: pino({ level: "silent" }), database: db.database },
    );
    const url = `http://127.0.0.1:${other.port}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    await other.stop();
    await expect(fetch(url)).rejects.toThrow();
    if (db.name) {
      // PostgreSQL: no connection of ours is left open.
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [db.name]);
      await admin.end();
      expect(rows[0].n).toBe(0);
    } else {
      await expect(other.services.db.user.count()).rejects.toThrow();
    }
    await db.drop();
  });
});
