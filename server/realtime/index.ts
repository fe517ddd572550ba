/**
 * socket.io on the same HTTP server. The handshake is authenticated with the
 * session cookie; every later event re-checks the session, so a log-out on
 * another device takes effect here at once.
 */
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import type { EventArgs, EventName, RoomNotice, Services } from "../../app/modules/services.server.ts";
import { isDatabaseUnavailable } from "../../app/modules/availability/database-errors.ts";
import {
  userRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "../../app/realtime/events.ts";
import { threadRoom } from "../../app/modules/forums/forums.server.ts";
import { findReadableThread } from "../../app/modules/forums/category-access.server.ts";
import { consoleAccess } from "../../app/modules/console/access.server.ts";
import { memberWatchRoom } from "../../app/modules/console/engagement.server.ts";
import { countUnread } from "../../app/modules/notifications/notifications.server.ts";
import {
  chatRole,
  chatRoom,
  chatStaffRoom,
  ensureOwnConversation,
  history,
  markRead,
  memberUnread,
  openConversation,
  presenceChanged,
  sendMessage,
  setAway,
  setResolved,
  staffInboxUnread,
} from "../../app/modules/chat/chat.server.ts";
import { isAllowedOrigin } from "../origin.ts";
import { holdsNul } from "../input-guard.ts";

/** Nothing was changed and the client should send the same event again shortly (same client id). */
const UNAVAILABLE_ACK = {
  ok: false,
  error: "unavailable",
  message: "The service is unavailable for a moment; nothing was changed. Try again in a few seconds.",
} as const;

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function createRealtime(
  httpServer: HttpServer,
  services: Services,
  options: { postgresUrl?: string | null } = {},
): RealtimeServer {
  const { publicUrl, isProduction } = services.settings;
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // Cross-site WebSocket hijacking: only our own pages may connect (the same rule as HTTP posts).
    allowRequest: (req, callback) => {
      callback(null, isAllowedOrigin(req.headers.origin, { publicUrl, isProduction, localPort: req.socket.localPort }));
    },
  });

  if (options.postgresUrl) {
    // Several instances share PostgreSQL: emits fan out to every instance
    // through LISTEN/NOTIFY, so scaling out needs no extra service.
    const pool = new pg.Pool({ connectionString: options.postgresUrl, max: 2, connectionTimeoutMillis: 5_000 });
    pool.on("error", (error) => services.logger.error({ err: error }, "socket.io postgres adapter pool error"));
    // The adapter keeps one client checked out for LISTEN, and pg-pool only listens for errors on
    // idle clients: a PostgreSQL restart (57P01) would be an unhandled 'error' that ends the process.
    // The adapter never gives that dead client back, which would leak a slot per restart (and hang
    // pool.end() at shutdown), so it is released here with the error, which removes it; its 'end'
    // then makes the adapter connect a new one and LISTEN again.
    const checkedOut = new Set<pg.PoolClient>();
    pool.on("acquire", (client) => checkedOut.add(client));
    pool.on("release", (_error, client) => checkedOut.delete(client));
    pool.on("connect", (client) =>
      client.on("error", (error) => {
        services.logger.warn({ err: error }, "socket.io postgres adapter connection lost");
        // After this tick: a pool.query running on the client releases it itself (pg-pool's own
        // error listener); releasing it here too would throw "Release called on client which has
        // already been released". Whatever is still held then is the adapter's LISTEN client.
        setImmediate(() => {
          if (checkedOut.has(client)) client.release(error);
        });
      }),
    );
    io.adapter(createAdapter(pool, { errorHandler: (error) => services.logger.warn({ err: error }, "socket.io postgres adapter") }));
    const close = io.close.bind(io);
    io.close = (fn) => close((err) => void pool.end().finally(() => fn?.(err)));
  }

  io.use(async (socket, next) => {
    const sessionId = services.auth.readSessionCookie(socket.request.headers.cookie ?? "");
    if (!sessionId) return next(new Error("unauthorized"));
    const validated = await services.auth.validateSession(sessionId).catch((error: unknown) => ({ error }));
    // Thrown out of this async middleware, the error would be an unhandled rejection: the process
    // would exit. The browser's client connects again after "unavailable" (app/realtime/client.ts).
    if ("error" in validated) {
      if (isDatabaseUnavailable(validated.error)) services.availability.reportFailure(validated.error);
      else services.logger.error({ err: validated.error }, "socket handshake failed");
      return next(new Error("unavailable"));
    }
    const { session, user } = validated;
    if (!session) return next(new Error("unauthorized"));
    socket.data = { userId: user.id, sessionId, role: user.role };
    next();
  });

  /** Staff presence, told to their members when a first tab opens or the last one closes. */
  async function staffPresence(userId: string, connected: boolean) {
    try {
      const sockets = await io.in(userRoom(userId)).fetchSockets();
      // Another tab already made (or still keeps) them online: nothing changed.
      if (connected ? sockets.length > 1 : sockets.length > 0) return;
      await presenceChanged(services, userId);
    } catch (error) {
      services.logger.warn({ err: error, userId }, "presence update failed");
    }
  }

  io.on("connection", (socket) => {
    void socket.join(userRoom(socket.data.userId));
    // The counts a tab shows (bell, chat launcher), sent on every connection: after a network
    // drop or a server restart, a badge must not stay at what it was before the events it missed.
    // The bell's count goes last: a client that waits for it has everything sent on connection.
    void (async () => {
      const { userId, role } = socket.data;
      const staffMember = role === "staff" || role === "admin";
      const [bell, chat, inbox] = await Promise.all([
        countUnread(services.db, userId),
        role === "member" ? memberUnread(services.db, userId) : null,
        staffMember ? staffInboxUnread(services, { id: userId, role }) : null,
      ]);
      if (chat !== null) socket.emit("chat:unread", { unread: chat });
      if (inbox !== null) socket.emit("inbox:unread", { unread: inbox });
      socket.emit("notification:count", { unread: bell });
    })().catch((error: unknown) => services.logger.warn({ err: error }, "counts on connection failed"));
    const isStaff = socket.data.role === "staff" || socket.data.role === "admin";
    if (isStaff) {
      void staffPresence(socket.data.userId, true);
      socket.on("disconnect", () => void staffPresence(socket.data.userId, false));
    }

    // Refused before anything else, for every event: a NUL character (no field can hold one).
    socket.use((packet, next) => {
      if (!holdsNul(packet)) return next();
      const ack: unknown = packet[packet.length - 1];
      if (typeof ack === "function") ack({ ok: false, error: "invalid", message: "The payload contains a NUL character (U+0000), which no field accepts." });
    });

    // socket.io runs this middleware and the handlers for each packet as it arrives, so two async
    // runs can finish out of order: a leave could land before the join sent ahead of it, or two
    // chat messages swap. Chaining the middleware runs, and the handlers (inTurn), keeps the order
    // the client sent them in.
    let checked = Promise.resolve();
    socket.use((packet, next) => {
      checked = checked.then(async () => {
        const validated = await services.auth.validateSession(socket.data.sessionId).catch((error: unknown) => ({ error }));
        if ("error" in validated) {
          // The session could not be checked (the database is restarting, say): refuse this event
          // with an ack the client retries, but keep the socket and the session.
          const ack: unknown = packet[packet.length - 1];
          if (isDatabaseUnavailable(validated.error)) services.availability.reportFailure(validated.error);
          else services.logger.error({ err: validated.error }, "session check failed");
          if (typeof ack === "function") ack(UNAVAILABLE_ACK);
          return;
        }
        const { session, user } = validated;
        if (!session) {
          socket.emit("session:ended");
          socket.disconnect(true);
          return next(new Error("unauthorized"));
        }
        // A role changed since the handshake counts from the next event (a staff-only thread, for one).
        if (user) socket.data.role = user.role;
        next();
      });
    });

    let handled: Promise<unknown> = Promise.resolve();
    const inTurn =
      <A extends unknown[]>(handler: (...args: A) => unknown) =>
      (...args: A) => {
        handled = handled.then(() => handler(...args)).catch((error: unknown) => services.logger.error({ err: error }, "socket event failed"));
      };

    // Reading a thread live: only existing threads the reader may read can be joined.
    socket.on(
      "thread:watch",
      chatEvent("thread:watch", async (payload) => {
        const threadId = typeof payload.threadId === "string" ? payload.threadId : "";
        const thread = await findReadableThread(services.db, actor(), threadId);
        if (!thread) return { ok: false as const, error: "notFound", message: "No such thread." };
        await socket.join(threadRoom(threadId));
        return { ok: true as const, data: { threadId } };
      }),
    );

    socket.on(
      "thread:unwatch",
      inTurn((payload) => {
        if (typeof payload?.threadId === "string") return socket.leave(threadRoom(payload.threadId));
      }),
    );

    const actor = () => ({ id: socket.data.userId, role: socket.data.role as "member" | "moderator" | "staff" | "admin" });
    const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
    /** Runs an event with an ack: a bad payload or an unexpected failure is an error ack, never a crash or silence. */
    function chatEvent<P, R>(event: string, run: (payload: Record<string, unknown>) => Promise<R>) {
      return inTurn(async (payload: P, ack: (result: R | { ok: false; error: string; message: string }) => void) => {
        if (typeof ack !== "function") return;
        if (!isObject(payload)) return ack({ ok: false, error: "invalid", message: "The payload must be an object." });
        try {
          ack(await run(payload));
        } catch (error) {
          if (isDatabaseUnavailable(error)) {
            services.availability.reportFailure(error);
            return ack(UNAVAILABLE_ACK);
          }
          services.logger.error({ err: error, event }, "chat event failed");
          ack({ ok: false, error: "internal", message: "Something went wrong; nothing was changed. Try again." });
        }
      });
    }
    const unwrap = <T extends { ok: boolean }>(result: T) => {
      if (!result.ok) return result as unknown as { ok: false; error: string; message: string };
      const { ok: _ok, ...data } = result as T & Record<string, unknown>;
      return { ok: true as const, data };
    };

    socket.on(
      "chat:open",
      chatEvent("chat:open", async (payload) => {
        // A member opens their own conversation; staff name the one they answer.
        const conversationId =
          typeof payload.conversationId === "string" && payload.conversationId
            ? payload.conversationId
            : socket.data.role === "member" || socket.data.role === "moderator"
              ? await ensureOwnConversation(services.db, socket.data.userId)
              : "";
        if (!conversationId) return { ok: false as const, error: "invalid", message: "Give the conversationId to open." };
        const opened = await openConversation(services, actor(), conversationId);
        if (!opened.ok) return opened;
        await socket.join(chatRoom(conversationId));
        if (opened.role !== "member") await socket.join(chatStaffRoom(conversationId));
        return unwrap(opened) as never;
      }),
    );

    socket.on("chat:send", chatEvent("chat:send", async (payload) => unwrap(await sendMessage(services, actor(), payload)) as never));
    socket.on("chat:history", chatEvent("chat:history", async (payload) => unwrap(await history(services, actor(), payload)) as never));
    socket.on("chat:read", chatEvent("chat:read", async (payload) => unwrap(await markRead(services, actor(), payload)) as never));
    socket.on("chat:away", chatEvent("chat:away", async (payload) => unwrap(await setAway(services, actor(), payload)) as never));
    socket.on(
      "chat:resolve",
      chatEvent("chat:resolve", async (payload) => {
        const result = await setResolved(services, actor(), payload);
        return result.ok ? { ok: true as const, data: null } : result;
      }),
    );

    // Typing is fire-and-forget, but still only for participants, and at most a few a second.
    let lastTyping = 0;
    socket.on("chat:typing", async (payload) => {
      const now = Date.now();
      if (!isObject(payload) || typeof payload.conversationId !== "string" || now - lastTyping < 300) return;
      lastTyping = now;
      const access = await chatRole(services, actor(), payload.conversationId).catch(() => null);
      if (!access) return;
      const user = await services.db.user.findUnique({ where: { id: socket.data.userId }, select: { displayName: true } });
      socket.to(chatRoom(payload.conversationId)).emit("chat:typing", {
        conversationId: payload.conversationId,
        userId: socket.data.userId,
        name: user?.displayName ?? "",
        isStaff: access.role !== "member",
        typing: payload.typing === true,
      });
    });

    // A member's page in the console: live touchpoints, for staff who may open that member.
    socket.on(
      "member:watch",
      chatEvent("member:watch", async (payload) => {
        const memberId = typeof payload.memberId === "string" ? payload.memberId : "";
        if (!memberId || !(await consoleAccess(services, actor(), memberId))) return { ok: false as const, error: "notFound", message: "No such member." };
        await socket.join(memberWatchRoom(memberId));
        return { ok: true as const, data: { memberId } };
      }),
    );
    socket.on(
      "member:unwatch",
      inTurn((payload: unknown) => {
        if (isObject(payload) && typeof payload.memberId === "string") return socket.leave(memberWatchRoom(payload.memberId));
      }),
    );

    socket.on("presence:ping", (ack) => {
      if (typeof ack !== "function") return;
      ack({ ok: true, data: { userId: socket.data.userId, serverTime: services.clock.now().toISOString() } });
    });
  });

  return io;
}

export function realtimeEmitter(io: RealtimeServer) {
  return {
    toUser<E extends EventName>(userId: string, event: E, ...args: EventArgs<E>) {
      io.to(userRoom(userId)).emit(event, ...args);
    },
    toRoom<E extends EventName>(room: string, event: E, ...args: EventArgs<E>) {
      io.to(room).emit(event, ...args);
    },
    leaveRooms(userIds: string[], rooms: string[]) {
      if (userIds.length && rooms.length) io.in(userIds.map(userRoom)).socketsLeave(rooms);
    },
    async leaveRoomsUnlessRole<E extends EventName>(rooms: string[], roles: readonly string[], notice?: RoomNotice<E>) {
      if (!rooms.length) return;
      const sockets = await io.in(rooms).fetchSockets();
      for (const socket of sockets) {
        if (roles.includes(socket.data.role)) continue;
        for (const room of rooms) {
          if (!socket.rooms.has(room)) continue;
          // Told before it leaves: the page says why the thread went quiet.
          if (notice) (socket.emit as (event: E, ...args: EventArgs<E>) => boolean)(notice.event, ...notice.args(room));
          socket.leave(room);
        }
      }
    },
    async closeSockets(userId: string, which: { session?: string; exceptSession?: string; quiet?: boolean } = {}) {
      // An instance that does not answer keeps its sockets until their next event, which the
      // per-packet session check refuses; a log-out must not fail for it.
      const sockets = await io.in(userRoom(userId)).fetchSockets().catch(() => []);
      for (const socket of sockets) {
        const session = socket.data.sessionId;
        if ((which.session && session !== which.session) || (which.exceptSession && session === which.exceptSession)) continue;
        if (!which.quiet) socket.emit("session:ended");
        socket.disconnect(true);
      }
    },
    async onlineUsers(userIds: string[]) {
      if (!userIds.length) return new Set<string>();
      // Asks every instance through the adapter; an instance that does not
      // answer in time counts as nobody online there (email rather than silence).
      const sockets = await io.in(userIds.map(userRoom)).fetchSockets().catch(() => []);
      return new Set(sockets.map((s) => s.data.userId).filter((id) => userIds.includes(id)));
    },
  };
}
