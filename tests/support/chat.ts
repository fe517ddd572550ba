/** Chat over real sockets: people, tabs, and the events a browser sends, for one test file's server. */
import type { Ack, ChatOpened } from "../../app/realtime/events.ts";
import type { ChatMessageView } from "../../app/modules/chat/chat-types.ts";
import { createUser } from "../factories/users.ts";
import { openSocket, type TestSocket, type serverForThisFile } from "./server.ts";

let serial = 0;
export const clientId = () => `c${Date.now().toString(36)}${(serial++).toString(36).padStart(4, "0")}`;

export function call<T>(socket: TestSocket, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve) => (socket.emit as (e: string, p: unknown, ack: (r: Ack<T>) => void) => void)(event, payload, resolve));
}

export async function open(socket: TestSocket, conversationId?: string) {
  const result = await call<ChatOpened>(socket, "chat:open", conversationId ? { conversationId } : {});
  if (!result.ok) throw new Error(`open failed: ${result.message}`);
  return result.data;
}

export async function send(socket: TestSocket, conversationId: string, body: string, extra: Record<string, unknown> = {}) {
  return call<{ message: ChatMessageView; duplicate: boolean }>(socket, "chat:send", { conversationId, clientId: clientId(), body, ...extra });
}

/** The next `event` on this socket, or a rejection after `timeoutMs`. */
export function next<T>(socket: TestSocket, event: string, timeoutMs = 3_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event as never, ((payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    }) as never);
  });
}

/** Collects every `event` this socket receives from now on. */
export function collect<T>(socket: TestSocket, event: string) {
  const seen: T[] = [];
  socket.on(event as never, ((payload: T) => seen.push(payload)) as never);
  return seen;
}

export function chatPeople(file: ReturnType<typeof serverForThisFile>) {
  const db = () => file.t.server.services.db;
  return {
    db,
    async person(role: "member" | "staff" | "admin", accountManagerId?: string) {
      return createUser(db(), { role, passwordHash: "not used", accountManagerId: accountManagerId ?? null });
    },
    /** A browser tab of this user: a session and an authenticated socket. */
    async tab(userId: string) {
      const session = await file.t.server.services.auth.createSession(userId, { userAgent: "vitest", ip: "127.0.0.1" });
      const { socket, outcome } = openSocket(file.t.origin, { cookie: `rapport_session=${session.id}`, origin: file.t.origin });
      file.sockets.push(socket);
      const { error } = await outcome;
      if (error) throw error;
      return socket;
    },
  };
}
