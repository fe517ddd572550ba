/**
 * socket.io on the same HTTP server. The handshake is authenticated with the
 * session cookie; every later event re-checks the session, so a log-out on
 * another device takes effect here at once.
 */
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import { verifyRequestOrigin } from "lucia";
import type { Services } from "../../app/modules/services.server.ts";
import {
  userRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "../../app/realtime/events.ts";
import { threadRoom } from "../../app/modules/forums/forums.server.ts";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function createRealtime(
  httpServer: HttpServer,
  services: Services,
  options: { postgresUrl?: string | null } = {},
): RealtimeServer {
  const publicHost = new URL(services.settings.publicUrl).host;
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // Cross-site WebSocket hijacking: only our own pages may connect.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      const host = req.headers.host;
      callback(null, !!origin && !!host && verifyRequestOrigin(origin, [host, publicHost]));
    },
  });

  if (options.postgresUrl) {
    // Several instances share PostgreSQL: emits fan out to every instance
    // through LISTEN/NOTIFY, so scaling out needs no extra service.
    const pool = new pg.Pool({ connectionString: options.postgresUrl, max: 2 });
    pool.on("error", (error) => services.logger.error({ err: error }, "socket.io postgres adapter pool error"));
    io.adapter(createAdapter(pool, { errorHandler: (error) => services.logger.warn({ err: error }, "socket.io postgres adapter") }));
    const close = io.close.bind(io);
    io.close = (fn) => close((err) => void pool.end().finally(() => fn?.(err)));
  }

  io.use(async (socket, next) => {
    const sessionId = services.auth.readSessionCookie(socket.request.headers.cookie ?? "");
    if (!sessionId) return next(new Error("unauthorized"));
    const { session, user } = await services.auth.validateSession(sessionId);
    if (!session) return next(new Error("unauthorized"));
    socket.data = { userId: user.id, sessionId, role: user.role };
    next();
  });

  io.on("connection", (socket) => {
    void socket.join(userRoom(socket.data.userId));

    socket.use(async (_packet, next) => {
      const { session } = await services.auth.validateSession(socket.data.sessionId).catch(() => ({ session: null }));
      if (!session) {
        socket.emit("session:ended");
        socket.disconnect(true);
        return next(new Error("unauthorized"));
      }
      next();
    });

    // Reading a thread live: only existing, visible threads can be joined.
    socket.on("thread:watch", async (payload, ack) => {
      if (typeof ack !== "function") return;
      const threadId = typeof payload?.threadId === "string" ? payload.threadId : "";
      const thread = threadId
        ? await services.db.forumThread.findFirst({ where: { id: threadId, deletedAt: null }, select: { id: true } })
        : null;
      if (!thread) return ack({ ok: false, error: "notFound", message: "No such thread." });
      await socket.join(threadRoom(threadId));
      ack({ ok: true, data: { threadId } });
    });

    socket.on("thread:unwatch", (payload) => {
      if (typeof payload?.threadId === "string") void socket.leave(threadRoom(payload.threadId));
    });

    socket.on("presence:ping", (ack) => {
      if (typeof ack !== "function") return;
      ack({ ok: true, data: { userId: socket.data.userId, serverTime: services.clock.now().toISOString() } });
    });
  });

  return io;
}

export function realtimeEmitter(io: RealtimeServer) {
  return {
    toUser(userId: string, event: string, payload: unknown) {
      (io.to(userRoom(userId)) as unknown as { emit: (e: string, p: unknown) => void }).emit(event, payload);
    },
    toRoom(room: string, event: string, payload: unknown) {
      (io.to(room) as unknown as { emit: (e: string, p: unknown) => void }).emit(event, payload);
    },
  };
}
