/**
 * Chat load benchmark: N members, each with a staff account manager, all
 * connected over real socket.io websockets. Every member sends at a steady
 * rate; we time the ack, and the delivery of `chat:message` to the manager's
 * socket (matched by clientId). Then we count what was lost (acked but never
 * delivered, or not stored) or duplicated (delivered twice, or stored twice).
 * The same load runs against a bare socket.io relay (ack, emit to the room,
 * no database) for the ratio. Only loopback traffic; prints figures, never
 * fails on them.
 *
 * Each server is this file run in a child process (`serve app` or `serve
 * bare`), so the load generator does not share its event loop. The app child
 * calls startServer (Express + socket.io, no Remix) and answers IPC requests:
 * seed the users and sessions, report its memory and CPU, run a SQL query.
 *
 *   BENCH_CHAT_SIZES        member counts, one run each (default "200,1000")
 *   BENCH_CHAT_DURATION     seconds of sending per run (default 15)
 *   BENCH_CHAT_INTERVAL_MS  each member sends one message this often (default 4000; the chat
 *                           rate limits allow 8 per 10 s and 40 per minute per sender)
 *   BENCH_CHAT_PER_STAFF    members per staff account manager (default 20)
 *   BENCH_CHAT_GRACE        seconds after the last send to wait for acks and deliveries (default 10)
 *   BENCH_DATABASE_URL      a PostgreSQL server: the app runs on a scratch database there
 *                           (dropped afterwards) instead of embedded PGlite in a temp folder
 *   BENCH_CHAT_PROFILE      a folder: the app server writes a V8 CPU profile (.cpuprofile) there
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events.ts";
import type { BuiltServices } from "../../server/services.ts";
import {
  captureTail,
  freePort,
  guardChildren,
  percentile,
  positiveNumber,
  scratchPostgres,
  stopChild,
  waitFor,
} from "./support.ts";

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(THIS_FILE), "../..");

// ---------------------------------------------------------------------------
// The server side: this file as a child process.

export interface Seeded {
  members: { id: string; session: string; conversationId: string; managerId: string }[];
  staff: { id: string; session: string; conversationIds: string[] }[];
}

export interface ServerStats {
  /** Bytes, after a forced garbage collection. */
  rss: number;
  heapUsed: number;
  /** User + system CPU time since the process started, in ms. */
  cpuMs: number;
  /** The server's own event loop delay since the previous stats, in ms: p99 and the longest. */
  loopDelay: { p99: number; max: number };
}

export type ServerRequest = { type: "seed"; members: number; perStaff: number } | { type: "stats" } | { type: "query"; sql: string };
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

function answerRequests(handle: (request: ServerRequest) => Promise<unknown>) {
  serverLoop.enable();
  process.on("message", (message: ServerRequest & { id: number }) => {
    handle(message).then(
      (result) => process.send?.({ id: message.id, ok: true, result } satisfies Reply),
      (error: unknown) =>
        process.send?.({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Reply),
    );
  });
  // The bench went away (crashed, was killed): no server outlives it.
  process.once("disconnect", () => process.exit(1));
}

const serverLoop = monitorEventLoopDelay({ resolution: 10 });

async function ownStats(): Promise<ServerStats> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((r) => setImmediate(r));
  gc?.();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const loopDelay = { p99: serverLoop.percentile(99) / 1e6, max: serverLoop.max / 1e6 };
  serverLoop.reset();
  return { rss: memory.rss, heapUsed: memory.heapUsed, cpuMs: (cpu.user + cpu.system) / 1000, loopDelay };
}

/**
 * N members, one staff account manager per `perStaff` of them, a conversation
 * and a session each. Rows in bulk (one by one, 1,000 members took a minute on
 * PGlite); sessions through the auth service, as a log-in makes them.
 */
async function seed(services: BuiltServices, members: number, perStaff: number): Promise<Seeded> {
  const { newId } = await import("../../app/modules/auth/tokens.server.ts");
  const { newSortableId } = await import("../../app/modules/ids.server.ts");
  const db = services.db;
  const user = (name: string, role: "member" | "staff", accountManagerId: string | null) => {
    const id = newId();
    const handle = `bench_${id.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 12)}`;
    return { id, email: `${handle}@example.test`, displayName: name, username: handle, role, locale: "vi", passwordHash: "bench", emailVerifiedAt: new Date(), accountManagerId };
  };
  const staffRows = Array.from({ length: Math.ceil(members / perStaff) }, (_, s) => user(`Bench Staff ${s + 1}`, "staff", null));
  const memberRows = Array.from({ length: members }, (_, i) => user(`Bench Member ${i + 1}`, "member", staffRows[Math.floor(i / perStaff)]!.id));
  const conversations = memberRows.map((m) => ({ id: newSortableId(), memberId: m.id }));
  for (let start = 0; start < members; start += 500) {
    if (start === 0) await db.user.createMany({ data: staffRows });
    await db.user.createMany({ data: memberRows.slice(start, start + 500) });
    await db.conversation.createMany({ data: conversations.slice(start, start + 500) });
  }
  const sessions = new Map<string, string>();
  const everyone = [...staffRows, ...memberRows];
  for (let start = 0; start < everyone.length; start += 50) {
    await Promise.all(
      everyone.slice(start, start + 50).map(async ({ id }) => {
        sessions.set(id, (await services.auth.createSession(id, { userAgent: null, ip: null })).id);
      }),
    );
  }
  return {
    staff: staffRows.map((s) => ({
      id: s.id,
      session: sessions.get(s.id)!,
      conversationIds: conversations.filter((_, i) => memberRows[i]!.accountManagerId === s.id).map((c) => c.id),
    })),
    members: memberRows.map((m, i) => ({ id: m.id, session: sessions.get(m.id)!, conversationId: conversations[i]!.id, managerId: m.accountManagerId! })),
  };
}

async function serveApp() {
  const { pino } = await import("pino");
  const { loadConfig } = await import("../../server/config.ts");
  const { startServer } = await import("../../server/start.ts");
  const { acquireDataDirLock } = await import("../../server/db/lock.ts");
  const port = process.env.PORT!;
  const config = loadConfig({
    NODE_ENV: "production",
    RAPPORT_DEMO: "1",
    PORT: port,
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: process.env.DATA_DIR,
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE,
    APP_SECRET: "bench-secret-".padEnd(40, "x"),
    LOG_LEVEL: "warn",
  });
  // As server/main.ts does: PGlite is one process's database.
  if (config.database.kind === "pglite") await acquireDataDirLock(config.dataDir);
  const server = await startServer(config, { mode: "none" }, { logger: pino({ level: "warn" }) });
  answerRequests(async (request) => {
    if (request.type === "seed") return seed(server.services, request.members, request.perStaff);
    if (request.type === "stats") return ownStats();
    return server.services.db.$queryRawUnsafe(request.sql);
  });
  process.once("SIGTERM", () => void server.stop().finally(() => process.exit(0)));
}

/** The floor: socket.io that acks a send and emits it to the conversation's room, nothing else. */
async function serveBare() {
  const { Server } = await import("socket.io");
  const http = createServer((req, res) => res.writeHead(req.url === "/healthz" ? 200 : 404).end());
  const io = new Server(http, { serveClient: false });
  const lastSeq = new Map<string, number>();
  io.on("connection", (socket) => {
    const userId = String(socket.handshake.auth.userId ?? "");
    socket.on("chat:open", (payload: { conversationId?: string }, ack: (result: unknown) => void) => {
      const id = String(payload?.conversationId ?? "");
      void socket.join(`chat:${id}`);
      ack({ ok: true, data: { conversation: { id, lastSeq: lastSeq.get(id) ?? 0 }, messages: [], more: false } });
    });
    socket.on("chat:send", (payload: { conversationId: string; clientId: string; body: string }, ack: (result: unknown) => void) => {
      const seq = (lastSeq.get(payload.conversationId) ?? 0) + 1;
      lastSeq.set(payload.conversationId, seq);
      const message = {
        id: randomBytes(12).toString("hex"),
        conversationId: payload.conversationId,
        seq,
        kind: "message",
        bodyHtml: `<p>${payload.body.replace(/[<>&]/g, "")}</p>`,
        clientId: payload.clientId,
        createdAt: new Date().toISOString(),
        sender: { id: userId, displayName: "Bench Member", isStaff: false },
      };
      io.to(`chat:${payload.conversationId}`).emit("chat:message", message);
      ack({ ok: true, data: { message, duplicate: false } });
    });
  });
  await new Promise<void>((resolve) => http.listen(Number(process.env.PORT), "127.0.0.1", resolve));
  answerRequests(async (request) => {
    if (request.type === "stats") return ownStats();
    throw new Error(`the bare relay does not answer "${request.type}"`);
  });
  process.once("SIGTERM", () => io.close(() => process.exit(0)));
}

// ---------------------------------------------------------------------------
// The parent side: start servers, connect, load, count.

export interface ChatServer {
  kind: "app" | "bare";
  origin: string;
  child: ChildProcess;
  output: string[];
  /** Asks the child over IPC; rejects if it exits, fails, or (with `timeoutMs`) does not answer in time. */
  request<T>(request: ServerRequest, timeoutMs?: number): Promise<T>;
}

/**
 * This file as a server child: the app (on PostgreSQL when `database.url`
 * is set, else PGlite in `database.dataDir`) or the bare relay. The child is
 * added to `children`, so an interrupted bench kills it.
 */
export function spawnChatServer(
  kind: "app" | "bare",
  port: number,
  database: { dataDir: string; url?: string },
  children: ChildProcess[],
): ChatServer {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), DATA_DIR: database.dataDir };
  delete env.DATABASE_URL;
  if (database.url) env.DATABASE_URL = database.url;
  // A V8 CPU profile of the app server, written when it exits: where its time goes.
  const profile = kind === "app" && process.env.BENCH_CHAT_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CHAT_PROFILE)}`] : [];
  const child = spawn(process.execPath, ["--expose-gc", ...profile, "--import", "tsx", THIS_FILE, "serve", kind], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "advanced", // BigInt and Date survive the trip
  });
  children.push(child);
  const output: string[] = [];
  captureTail(child, output);
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 0;
  child.on("message", (reply: Reply) => {
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.result);
    else waiter?.reject(new Error(`the ${kind} server failed: ${reply.error}`));
  });
  child.once("exit", (code, signal) => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`the ${kind} server exited (${code ?? signal}):\n${output.join("\n")}`));
    waiting.clear();
  });
  return {
    kind,
    origin: `http://127.0.0.1:${port}`,
    child,
    output,
    request<T>(request: ServerRequest, timeoutMs?: number) {
      return new Promise<T>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ ...request, id });
        if (timeoutMs) {
          setTimeout(() => {
            if (waiting.delete(id)) reject(new Error(`the ${kind} server did not answer "${request.type}" within ${timeoutMs} ms`));
          }, timeoutMs).unref();
        }
      });
    },
  };
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client as a browser tab opens it: websocket, the session cookie, our Origin. */
export function openChatSocket(origin: string, session: string, options: Partial<ManagerOptions & SocketOptions> = {}): ClientSocket {
  return connect(origin, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    timeout: 30_000,
    extraHeaders: { cookie: `rapport_session=${session}`, origin },
    ...options,
  });
}

type AckedEvent = "chat:open" | "chat:send" | "chat:history";
/** What the server acks for an event (socket.io's own typing gives `any` once `.timeout()` is used). */
export type AckOf<E extends AckedEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** Emits and waits for the ack; rejects when none comes within `timeoutMs`. */
export function ask<E extends AckedEvent>(socket: ClientSocket, event: E, payload: Parameters<ClientToServerEvents[E]>[0], timeoutMs: number) {
  return (socket.timeout(timeoutMs).emitWithAck as (event: E, payload: unknown) => Promise<AckOf<E>>)(event, payload);
}

export function untilConnected(socket: ClientSocket) {
  return new Promise<void>((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

/** Runs `work` over the items, at most `limit` at a time. */
export async function inBatches<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  for (let start = 0; start < items.length; start += limit) {
    await Promise.all(items.slice(start, start + limit).map((item, k) => work(item, start + k)));
  }
}

/** The open-file limit of this process (its sockets count against it), from /proc. */
export function openFileLimit() {
  const limits = (() => {
    try {
      return readFileSync("/proc/self/limits", "utf8");
    } catch {
      return "";
    }
  })();
  const soft = Number(limits.match(/Max open files\s+(\d+)/)?.[1]);
  return Number.isFinite(soft) ? soft : null;
}

const SIZES = (process.env.BENCH_CHAT_SIZES || "200,1000").split(",").map((raw) => {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n <= 0) throw new Error(`BENCH_CHAT_SIZES must be positive whole numbers, got "${raw}"`);
  return n;
});
const DURATION = positiveNumber("BENCH_CHAT_DURATION", 15);
const INTERVAL_MS = positiveNumber("BENCH_CHAT_INTERVAL_MS", 4_000);
const PER_STAFF = Math.round(positiveNumber("BENCH_CHAT_PER_STAFF", 20));
const GRACE = positiveNumber("BENCH_CHAT_GRACE", 10);
const CONNECT_BATCH = 50;
const ACK_TIMEOUT_MS = 120_000;

interface Sent {
  senderId: string;
  sentAt: number;
  ackMs?: number;
  /** "ok", or the error code of a refused send ("rateLimited", "internal", …). */
  ack?: string;
  deliveredMs?: number;
  deliveries: number;
}

interface RunResult {
  /** Prefix of every clientId of this run. */
  tag: string;
  sent: Map<string, Sent>;
  sockets: number;
  connectFailures: string[];
  connectSeconds: number;
  /** Sockets that dropped while we were still using them, by reason. */
  dropped: Map<string, number>;
  duplicateDeliveries: number;
  /** Filled from the database afterwards (app only). */
  notStored: number | null;
  duplicateRows: number | null;
  started: number;
  elapsedMs: number;
  events: number;
  before: ServerStats;
  connected: ServerStats;
  /** Read from /proc (no GC, no loop delay) when the server was too busy to answer; null if even that failed. */
  after: (ServerStats & { fromProc?: true }) | null;
  /** Distinct error messages among the last lines the server logged. */
  serverErrors: string[];
  loopDelayP99: number;
}

const increment = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** Connects everyone, opens every conversation, sends for DURATION seconds, waits up to GRACE seconds for the stragglers. */
async function runLoad(server: ChatServer, seeded: Seeded): Promise<RunResult> {
  const bare = server.kind === "bare";
  const tag = randomBytes(3).toString("hex");
  const sent = new Map<string, Sent>();
  const dropped = new Map<string, number>();
  let duplicateDeliveries = 0;
  let events = 0;
  let closing = false;
  const before = await server.request<ServerStats>({ type: "stats" });

  const connectStarted = performance.now();
  const connectFailures: string[] = [];
  const open = async (session: string, userId: string) => {
    const socket = openChatSocket(server.origin, session, bare ? { auth: { userId } } : {});
    socket.onAny(() => events++);
    try {
      await untilConnected(socket);
      socket.on("disconnect", (reason) => closing || increment(dropped, reason));
      return socket;
    } catch (error) {
      connectFailures.push((error as Error).message);
      socket.close();
      return null;
    }
  };
  const staffSockets: (ClientSocket | null)[] = [];
  await inBatches(seeded.staff, CONNECT_BATCH, async (staff, i) => {
    const socket = (staffSockets[i] = await open(staff.session, staff.id));
    // The manager's side: the delivery we time.
    socket?.on("chat:message", (message) => {
      const record = sent.get(message.clientId);
      if (!record) return;
      record.deliveries += 1;
      if (record.deliveries === 1) record.deliveredMs = performance.now() - record.sentAt;
      else duplicateDeliveries += 1;
    });
    for (const conversationId of staff.conversationIds) {
      const opened = socket && (await ask(socket, "chat:open", { conversationId }, ACK_TIMEOUT_MS));
      if (opened && !opened.ok) throw new Error(`staff could not open a conversation: ${opened.message}`);
    }
  });
  const memberSockets: (ClientSocket | null)[] = [];
  await inBatches(seeded.members, CONNECT_BATCH, async (member, i) => {
    const socket = (memberSockets[i] = await open(member.session, member.id));
    const opened = socket && (await ask(socket, "chat:open", bare ? { conversationId: member.conversationId } : {}, ACK_TIMEOUT_MS));
    if (opened && !opened.ok) throw new Error(`a member could not open their conversation: ${opened.message}`);
  });
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const connected = await server.request<ServerStats>({ type: "stats" });
  const sockets = [...staffSockets, ...memberSockets].filter((s): s is ClientSocket => !!s);

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  const endAt = started + DURATION * 1000;
  const timers: NodeJS.Timeout[] = [];
  const body = "Good morning, could you check the delivery date on my last order? Thanks a lot.";
  memberSockets.forEach((socket, i) => {
    if (!socket) return;
    const { id: senderId, conversationId } = seeded.members[i]!;
    let n = 0;
    const send = () => {
      if (performance.now() >= endAt) return;
      const clientId = `${tag}-${i}-${n++}`;
      const record: Sent = { senderId, sentAt: performance.now(), deliveries: 0 };
      sent.set(clientId, record);
      const answered = (ack: string) => {
        record.ackMs = performance.now() - record.sentAt;
        record.ack = ack;
      };
      ask(socket, "chat:send", { conversationId, clientId, body: `${body} (#${n})` }, ACK_TIMEOUT_MS).then(
        (result) => answered(result.ok ? "ok" : result.error),
        // No ack: in time (a timeout) or because the socket dropped (socket.io fails its pending acks).
        () => closing || answered(socket.connected ? "timeout" : "socket dropped"),
      );
    };
    // Spread evenly over the interval, then steady.
    timers.push(
      setTimeout(() => {
        send();
        timers.push(setInterval(send, INTERVAL_MS));
      }, (i / memberSockets.length) * INTERVAL_MS),
    );
  });
  await new Promise((r) => setTimeout(r, DURATION * 1000));
  timers.forEach((t) => clearTimeout(t));
  const settled = () => [...sent.values()].every((r) => r.ack !== undefined && (r.ack !== "ok" || r.deliveries > 0));
  const graceEnd = performance.now() + GRACE * 1000;
  while (!settled() && performance.now() < graceEnd) await new Promise((r) => setTimeout(r, 100));
  loop.disable();
  const elapsedMs = performance.now() - started;
  const after = await server.request<ServerStats>({ type: "stats" }, 10_000).catch(() => procStats(server.child.pid));
  // From here on, what has not arrived counts as it stands.
  closing = true;
  for (const socket of sockets) socket.close();
  return {
    tag,
    sent,
    sockets: sockets.length,
    connectFailures,
    connectSeconds,
    dropped,
    duplicateDeliveries,
    notStored: null,
    duplicateRows: null,
    started,
    elapsedMs,
    events,
    before,
    connected,
    after,
    loopDelayP99: loop.percentile(99) / 1e6,
    serverErrors: loggedErrors(server.output),
  };
}

/** pino's error lines (level 50 and up): their message and the error's, once each. */
function loggedErrors(output: string[]) {
  const messages = new Set<string>();
  for (const line of output) {
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) >= 50) messages.add(`${entry.msg ?? ""}: ${(entry.err?.message ?? "").replace(/\s+/g, " ").slice(0, 200)}`);
    } catch {
      /* not a log line */
    }
  }
  return [...messages];
}

/** A process's RSS and CPU time from /proc, for a server too busy to answer (CPU ticks taken as 1/100 s). */
function procStats(pid: number | undefined): (ServerStats & { fromProc: true }) | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    // utime and stime are fields 14 and 15; the command name before them may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const rss = Number(status.match(/VmRSS:\s+(\d+)/)?.[1]) * 1024;
    return { rss, heapUsed: NaN, cpuMs: (Number(fields[11]) + Number(fields[12])) * 10, loopDelay: { p99: NaN, max: NaN }, fromProc: true };
  } catch {
    return null;
  }
}

/** The run's messages as the database holds them, read once the server is gone. */
async function readStored(database: { dataDir: string; url?: string }, tag: string) {
  const sql = `SELECT "senderId", "clientId" FROM "ChatMessage" WHERE "clientId" LIKE '${tag}-%'`;
  type Row = { senderId: string; clientId: string };
  if (database.url) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<Row>(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const { openDatabase } = await import("../../server/db/open.ts");
  const opened = await openDatabase({ kind: "pglite", dataDir: database.dataDir });
  try {
    return await opened.db.$queryRawUnsafe<Row[]>(sql);
  } finally {
    await opened.close();
  }
}

/** Every acked message stored, nothing stored twice. */
function countStored(r: RunResult, rows: { senderId: string; clientId: string }[]) {
  const stored = new Set(rows.map((row) => `${row.senderId}/${row.clientId}`));
  r.duplicateRows = rows.length - stored.size;
  r.notStored = [...r.sent].filter(([clientId, record]) => record.ack === "ok" && !stored.has(`${record.senderId}/${clientId}`)).length;
}

function summarize(r: RunResult) {
  const records = [...r.sent.values()];
  const acked = records.filter((record) => record.ack === "ok");
  const delivered = records.filter((record) => record.deliveredMs !== undefined);
  const lastDelivery = Math.max(0, ...delivered.map((record) => record.sentAt + record.deliveredMs!));
  const refused = new Map<string, number>();
  for (const record of records) if (record.ack && record.ack !== "ok") increment(refused, record.ack);
  return {
    ackMs: acked.map((record) => record.ackMs!).sort((a, b) => a - b),
    deliveryMs: delivered.map((record) => record.deliveredMs!).sort((a, b) => a - b),
    throughput: delivered.length / ((lastDelivery - r.started) / 1000),
    refused,
    unanswered: records.filter((record) => record.ack === undefined).length,
    undelivered: acked.filter((record) => record.deliveries === 0).length,
  };
}

const ms = (values: number[]) => [50, 95, 99].map((p) => (values.length ? Math.round(percentile(values, p)) : "-")).join(" / ");
const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
const perSocketKiB = (r: RunResult, field: "rss" | "heapUsed") => Math.round((r.connected[field] - r.before[field]) / 1024 / Math.max(1, r.sockets));

function row(r: RunResult) {
  const s = summarize(r);
  return {
    sockets: r.sockets,
    sent: r.sent.size,
    "msg/s delivered": Math.round(s.throughput * 10) / 10,
    "ack ms p50/p95/p99": ms(s.ackMs),
    "delivery ms p50/p95/p99": ms(s.deliveryMs),
    lost: s.undelivered + (r.notStored ?? 0),
    duplicated: r.duplicateDeliveries + (r.duplicateRows ?? 0),
    "refused / no ack": `${[...s.refused.values()].reduce((a, b) => a + b, 0)} / ${s.unanswered}`,
    "server CPU %": r.after ? Math.round(((r.after.cpuMs - r.connected.cpuMs) / r.elapsedMs) * 100) : "?",
    "heap/socket KiB": perSocketKiB(r, "heapUsed"),
    "RSS/socket KiB": perSocketKiB(r, "rss"),
  };
}

function describeRun(label: string, r: RunResult) {
  const s = summarize(r);
  const after = !r.after
    ? "? after the load"
    : r.after.fromProc
      ? `${mib(r.after.rss)} after the load (from /proc: the server did not answer an IPC request within 10 s, its event loop was blocked that long)`
      : `${mib(r.after.rss)} after the load; server event loop delay during the load p99 ${Math.round(r.after.loopDelay.p99)} ms, longest ${Math.round(r.after.loopDelay.max)} ms`;
  const lines = [
    `  ${label}: ${r.sockets} sockets connected and opened in ${r.connectSeconds.toFixed(1)} s; server RSS ${mib(r.before.rss)} before, ` +
      `${mib(r.connected.rss)} connected, ${after}; ${Math.round(r.events / (r.elapsedMs / 1000))} events/s reached the clients; ` +
      `load generator loop delay p99 ${r.loopDelayP99.toFixed(0)} ms`,
  ];
  if (s.refused.size) lines.push(`    refused sends: ${[...s.refused].map(([k, v]) => `${k} ${v}`).join(", ")}`);
  if (s.unanswered) lines.push(`    ${s.unanswered} sends had no ack ${GRACE} s after the last one (a backlog; not counted as lost)`);
  if (s.undelivered || r.notStored) {
    lines.push(`    lost: ${s.undelivered} acked but never reached the manager's socket, ${r.notStored ?? 0} acked but not in the database`);
  }
  if (r.serverErrors.length) lines.push(`    the server logged ${r.serverErrors.length} distinct errors in its last lines, e.g. ${r.serverErrors.slice(0, 2).join(" | ")}`);
  if (r.dropped.size) lines.push(`    sockets dropped during the run: ${[...r.dropped].map(([k, v]) => `${v} (${k})`).join(", ")}`);
  if (r.connectFailures.length) {
    lines.push(
      `    ${r.connectFailures.length} sockets failed to connect (first: ${r.connectFailures[0]}); open-file limit ${openFileLimit() ?? "?"}: ` +
        "each socket is a file descriptor in both processes; raise it with `ulimit -n 65536` if it is near the socket count",
    );
  }
  console.log(lines.join("\n"));
}

/** Fake users for the bare relay, shaped like the seeded ones. */
function fakeSeed(members: number): Seeded {
  const staff = Array.from({ length: Math.ceil(members / PER_STAFF) }, (_, s) => ({ id: `s${s}`, session: "none", conversationIds: [] as string[] }));
  const seeded = Array.from({ length: members }, (_, i) => {
    const manager = staff[Math.floor(i / PER_STAFF)]!;
    manager.conversationIds.push(`c${i}`);
    return { id: `m${i}`, session: "none", conversationId: `c${i}`, managerId: manager.id };
  });
  return { members: seeded, staff };
}

export async function runChatBench() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rapport-bench-chat-"));
  const children: ChildProcess[] = [];
  const scratch: { drop(): Promise<void> }[] = [];
  const unguard = guardChildren(children, async () => {
    await Promise.all(scratch.map((s) => s.drop()));
    await rm(dataDir, { recursive: true, force: true });
  });
  const onPostgres = !!process.env.BENCH_DATABASE_URL;
  const limit = openFileLimit();
  const biggest = Math.max(...SIZES);
  console.log(
    `\nChat: ${SIZES.join(" and ")} members (one staff account manager per ${PER_STAFF}), each sending one message every ` +
      `${INTERVAL_MS} ms for ${DURATION} s; app on ${onPostgres ? "a scratch PostgreSQL database (BENCH_DATABASE_URL)" : "embedded PGlite in a temporary folder"}; ` +
      `127.0.0.1, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}, open-file limit ${limit ?? "?"}`,
  );
  if (!onPostgres) console.log("  BENCH_DATABASE_URL is not set: the app runs on PGlite (set it to a PostgreSQL server URL to run there instead)");
  if (limit !== null && limit < biggest * 1.1 + 256) {
    console.log(`  warning: the open-file limit (${limit}) is close to ${biggest} sockets; raise it with \`ulimit -n 65536\` if connects fail`);
  }
  console.log(
    "  delivery: from the member's send to the manager's socket receiving chat:message; lost: acked but never delivered, or not in the database; " +
      "heap and RSS per socket: the server's growth from before connecting to all connected and opened, after a forced GC",
  );
  try {
    for (const size of SIZES) {
      const bare = spawnChatServer("bare", await freePort(), { dataDir }, children);
      await waitFor(`${bare.origin}/healthz`, bare.child, bare.output);
      const bareResult = await runLoad(bare, fakeSeed(size));
      await stopChild(bare.child);

      const postgres = await scratchPostgres(process.env.BENCH_DATABASE_URL, `_chat${size}`);
      if (postgres) scratch.push(postgres);
      const database = { dataDir: path.join(dataDir, `app-${size}`), url: postgres?.url };
      const app = spawnChatServer("app", await freePort(), database, children);
      try {
        const started = performance.now();
        await waitFor(`${app.origin}/healthz`, app.child, app.output);
        const startSeconds = (performance.now() - started) / 1000;
        const seedStarted = performance.now();
        const seeded = await app.request<Seeded>({ type: "seed", members: size, perStaff: PER_STAFF });
        const seedSeconds = (performance.now() - seedStarted) / 1000;
        const appResult = await runLoad(app, seeded);
        // A backlog is not waited for: what the database holds once the server is gone is what counts.
        await stopChild(app.child, 1_000);
        countStored(appResult, await readStored(database, appResult.tag));

        console.log(`\n${size} members, ${seeded.staff.length} staff (app started in ${startSeconds.toFixed(1)} s, seeded in ${seedSeconds.toFixed(1)} s)`);
        console.table({ "bare socket.io relay": row(bareResult), [`app on ${onPostgres ? "PostgreSQL" : "PGlite"}`]: row(appResult) });
        const [appSummary, bareSummary] = [summarize(appResult), summarize(bareResult)];
        const p95 = (values: number[]) => percentile(values, 95);
        console.log(
          `  app vs bare: throughput ${((appSummary.throughput / bareSummary.throughput) * 100).toFixed(1)}% of the bare relay's ` +
            `(the offered load is ${Math.round((size * 1000) / INTERVAL_MS)} msg/s: equal figures mean neither fell behind); ` +
            `p95 delivery latency ${(p95(appSummary.deliveryMs) / p95(bareSummary.deliveryMs)).toFixed(1)}× the bare relay's`,
        );
        describeRun("bare", bareResult);
        describeRun("app", appResult);
      } finally {
        await stopChild(app.child, 1_000);
        await postgres?.drop();
      }
    }
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await Promise.all(scratch.map((s) => s.drop()));
    await rm(dataDir, { recursive: true, force: true });
    unguard();
  }
}

const runAsServer = process.argv[2] === "serve" && !!process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE;
if (runAsServer) await (process.argv[3] === "bare" ? serveBare() : serveApp());
