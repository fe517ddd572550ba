/**
 * The real server (Express + socket.io on one HTTP server) on an ephemeral
 * port, over a fresh test database. Mode "none" mounts everything but Remix.
 */
import { afterAll, beforeAll } from "vitest";
import { pino, type Logger } from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { loadConfig } from "../../server/config.ts";
import { startServer, type RunningServer } from "../../server/start.ts";
import type { HttpOptions } from "../../server/http.ts";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events.ts";
import { createTestDatabase, type TestDatabase } from "./services.ts";

export interface TestServer {
  server: RunningServer;
  testDb: TestDatabase;
  /** Where the server listens, as a browser on this machine would name it. */
  origin: string;
  /** Stops the server (idempotent) and drops its database. */
  dispose(): Promise<void>;
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: { logger?: Logger; remix?: HttpOptions["remix"] } = {},
): Promise<TestServer> {
  const testDb = await createTestDatabase();
  const server = await startServer(
    loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", APP_SECRET: "x".repeat(40), ...env }),
    options.remix ?? { mode: "none" },
    { logger: options.logger ?? pino({ level: "silent" }), database: testDb.database },
  );
  return {
    server,
    testDb,
    origin: `http://127.0.0.1:${server.port}`,
    async dispose() {
      await server.stop();
      await testDb.drop();
    },
  };
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client as a browser tab would open it: websocket, our cookie, our Origin. */
export function openSocket(origin: string, headers: Record<string, string>) {
  const socket: TestSocket = connect(origin, { transports: ["websocket"], extraHeaders: headers, reconnection: false });
  // Connected once the counts every new socket is sent have arrived (the bell's comes last), so
  // a test's own listeners never catch those instead of what it is waiting for.
  const outcome = new Promise<{ socket: TestSocket; error?: Error }>((resolve) => {
    socket.once("notification:count", () => resolve({ socket }));
    socket.once("connect_error", (error) => resolve({ socket, error }));
  });
  return { socket, outcome };
}

/**
 * One server for the whole test file, and a list where opened sockets are
 * kept so they are all closed before the server stops.
 */
export function serverForThisFile(env: Record<string, string> = {}) {
  const state = { server: undefined as TestServer | undefined, sockets: [] as TestSocket[] };
  beforeAll(async () => {
    state.server = await startTestServer(env);
  });
  afterAll(async () => {
    for (const socket of state.sockets) socket.disconnect();
    await state.server?.dispose();
  });
  return {
    get t() {
      if (!state.server) throw new Error("the test server is not started yet");
      return state.server;
    },
    sockets: state.sockets,
  };
}
