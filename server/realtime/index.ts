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
import { history } from "../../app/modules/chat/conversation.server.ts";
import { openChat, typingNotice } from "../../app/modules/chat/live.server.ts";
import { markRead, sendMessage, setResolved } from "../../app/modules/chat/messages.server.ts";
import { memberUnread, staffInboxUnread } from "../../app/modules/chat/inbox.server.ts";
import { presenceChanged, setAway } from "../../app/modules/chat/reassignment.server.ts";
import { fail, type Failure, type Ok } from "../../app/modules/commands/failure.ts";
import type { Role } from "../../app/generated/prisma/enums.ts";
import { ackOf, keyedAck, localeOf } from "./acks.ts";
import { isAllowedOrigin } from "../origin.ts";
import { holdsNul } from "../input-guard.ts";
import { isMemberRole, isStaffRole } from "../../app/modules/policy/permissions.ts";

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
    socket.data = { userId: user.id, sessionId, role: user.role, locale: user.locale };
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
      const staffMember = isStaffRole(role);
      const [bell, chat, inbox] = await Promise.all([
        countUnread(services.db, userId),
        isMemberRole(role) ? memberUnread(services.db, userId) : null,
        staffMember ? staffInboxUnread(services, { id: userId, role }) : null,
      ]);
      if (chat !== null) socket.emit("chat:unread", { unread: chat });
      if (inbox !== null) socket.emit("inbox:unread", { unread: inbox });
      socket.emit("notification:count", { unread: bell });
    })().catch((error: unknown) => services.logger.warn({ err: error }, "counts on connection failed"));
    const isStaff = isStaffRole(socket.data.role);
    if (isStaff) {
      void staffPresence(socket.data.userId, true);
      socket.on("disconnect", () => void staffPresence(socket.data.userId, false));
    }

    // Refused before anything else, for every event: a NUL character (no field can hold one).
    socket.use((packet, next) => {
      if (!holdsNul(packet)) return next();
      const ack: unknown = packet[packet.length - 1];
      if (typeof ack === "function") ack(keyedAck("invalid", "chat.error.nul", localeOf(socket.data.locale)));
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
          if (typeof ack === "function") ack(keyedAck("unavailable", "chat.error.serviceUnavailable", localeOf(socket.data.locale)));
          return;
        }
        const { session, user } = validated;
        if (!session) {
          socket.emit("session:ended");
          socket.disconnect(true);
          return next(new Error("unauthorized"));
        }
        // A role (or language) changed since the handshake counts from the next event (a staff-only thread, for one).
        if (user) {
          socket.data.role = user.role;
          socket.data.locale = user.locale;
        }
        next();
      });
    });

    let handled: Promise<unknown> = Promise.resolve();
    const inTurn =
      <A extends unknown[]>(handler: (...args: A) => unknown) =>
      (...args: A) => {
        handled = handled.then(() => handler(...args)).catch((error: unknown) => services.logger.error({ err: error }, "socket event failed"));
      };

    const actor = () => ({ id: socket.data.userId, role: socket.data.role as Role });
    const locale = () => localeOf(socket.data.locale);
    const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

    /**
     * An event with an ack, run in turn: the payload (an object, or the event is refused) goes to
     * `run`, whose command result is acked through the one adapter. An outage is the `unavailable`
     * ack the client retries; anything unexpected is logged and acked, never a crash or silence.
     */
    function commandEvent<T extends object>(event: string, run: (payload: Record<string, unknown>) => Promise<Ok<T> | Failure>, options: { noData?: boolean } = {}) {
      return inTurn(async (payload: unknown, ack: (result: never) => void) => {
        if (typeof ack !== "function") return;
        const answer = ack as (result: unknown) => void;
        if (!isObject(payload)) return answer(keyedAck("invalid", "chat.error.payload", locale()));
        try {
          const acked = ackOf(await run(payload), locale());
          answer(acked.ok && options.noData ? { ok: true, data: null } : acked);
        } catch (error) {
          if (isDatabaseUnavailable(error)) {
            services.availability.reportFailure(error);
            return answer(keyedAck("unavailable", "chat.error.serviceUnavailable", locale()));
          }
          services.logger.error({ err: error, event }, "socket event failed");
          answer(keyedAck("internal", "chat.error.internal", locale()));
        }
      });
    }
    const origin = () => ({ ip: socket.handshake.address });

    // Reading a thread live: only existing threads the reader may read can be joined.
    socket.on(
      "thread:watch",
      commandEvent("thread:watch", async (payload) => {
        const threadId = typeof payload.threadId === "string" ? payload.threadId : "";
        const thread = await findReadableThread(services.db, actor(), threadId);
        if (!thread) return fail.notFound();
        await socket.join(threadRoom(threadId));
        return { ok: true, threadId };
      }),
    );

    socket.on(
      "thread:unwatch",
      inTurn((payload) => {
        if (typeof payload?.threadId === "string") return socket.leave(threadRoom(payload.threadId));
      }),
    );

    // Chat: each event is its command (or read); the rooms to join come back from the module.
    socket.on(
      "chat:open",
      commandEvent("chat:open", async (payload) => {
        const opened = await openChat(services, actor(), payload, origin());
        if (!opened.ok) return opened;
        for (const room of opened.rooms) await socket.join(room);
        const { rooms: _rooms, ...rest } = opened;
        return rest;
      }),
    );
    socket.on("chat:send", commandEvent("chat:send", (payload) => sendMessage(services, actor(), payload, origin())));
    socket.on("chat:history", commandEvent("chat:history", (payload) => history(services, actor(), payload)));
    socket.on("chat:read", commandEvent("chat:read", (payload) => markRead(services, actor(), payload, origin())));
    socket.on("chat:away", commandEvent("chat:away", (payload) => setAway(services, actor(), payload, origin())));
    socket.on(
      "chat:resolve",
      commandEvent("chat:resolve", (payload) => setResolved(services, actor(), payload, origin()), { noData: true }),
    );

    // Typing is fire-and-forget, but still only for participants, and at most a few a second.
    let lastTyping = 0;
    socket.on(
      "chat:typing",
      inTurn(async (payload: unknown) => {
        const now = Date.now();
        if (!isObject(payload) || now - lastTyping < 300) return;
        lastTyping = now;
        const notice = await typingNotice(services, actor(), payload).catch(() => null);
        if (notice) socket.to(notice.room).emit("chat:typing", notice.typing);
      }),
    );

    // A member's page in the console: live touchpoints, for staff who may open that member.
    socket.on(
      "member:watch",
      commandEvent("member:watch", async (payload) => {
        const memberId = typeof payload.memberId === "string" ? payload.memberId : "";
        if (!memberId || !(await consoleAccess(services, actor(), memberId))) return fail.notFound();
        await socket.join(memberWatchRoom(memberId));
        return { ok: true, memberId };
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
