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
  /** A new post in a thread this socket is reading. */
  "forum:post": (payload: ForumPostEvent) => void;
}

export interface ForumPostEvent {
  threadId: string;
  post: { id: string; position: number; bodyHtml: string; createdAt: string; author: { id: string; displayName: string; username: string } };
}

export interface ClientToServerEvents {
  /** Round-trip check; answers with the server time and who the socket is. */
  "presence:ping": (ack: (result: Ack<{ userId: string; serverTime: string }>) => void) => void;
  /** Start receiving a thread's new posts. */
  "thread:watch": (payload: { threadId: string }, ack: (result: Ack<{ threadId: string }>) => void) => void;
  "thread:unwatch": (payload: { threadId: string }) => void;
}

export interface SocketData {
  userId: string;
  sessionId: string;
  role: string;
}

export const userRoom = (userId: string) => `user:${userId}`;
