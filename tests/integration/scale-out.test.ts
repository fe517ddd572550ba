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
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
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
});
