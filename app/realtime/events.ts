/**
 * The one map of socket.io event names and payloads, shared by the browser
 * client and server/realtime. Every client event takes an ack.
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: string; message: string };

export interface ServerToClientEvents {
  /** The session behind this socket ended (log-out elsewhere, expiry): reload. */
  "session:ended": () => void;
  /** The unread count of the bell changed (new notification, or read elsewhere). */
  "notification:count": (payload: { unread: number }) => void;
}

export interface ClientToServerEvents {
  /** Round-trip check; answers with the server time and who the socket is. */
  "presence:ping": (ack: (result: Ack<{ userId: string; serverTime: string }>) => void) => void;
}

export interface SocketData {
  userId: string;
  sessionId: string;
  role: string;
}

export const userRoom = (userId: string) => `user:${userId}`;
