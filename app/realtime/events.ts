/**
 * The one map of socket.io event names and payloads, shared by the browser
 * client and server/realtime. Every client event takes an ack.
 */
import type { ChatMessageView } from "~/modules/chat/chat-types";

export type Ack<T> = { ok: true; data: T } | { ok: false; error: string; message: string };

export interface ServerToClientEvents {
  /** The session behind this socket ended (log-out elsewhere, expiry): reload. */
  "session:ended": () => void;
  /** The unread count of the bell changed (new notification, or read elsewhere). */
  "notification:count": (payload: { unread: number }) => void;
  /** A new post in a thread this socket is reading. */
  "forum:post": (payload: ForumPostEvent) => void;
  /** A post in a thread this socket is reading changed: each carries the post as a page load now shows it. */
  "forum:post_edited": (payload: ForumPostEvent) => void;
  "forum:post_hidden": (payload: ForumPostEvent) => void;
  "forum:post_restored": (payload: ForumPostEvent) => void;
  "forum:post_deleted": (payload: ForumPostEvent) => void;
  /** The thread this socket is reading was renamed or moved (sent only to those who may still read it). */
  "forum:thread_moved": (payload: ForumThreadMovedEvent) => void;
  /** This socket was taken out of a thread's room: the thread was deleted, or now lies where this reader may not read. */
  "forum:thread_gone": (payload: { threadId: string; reason: "deleted" | "unreadable" }) => void;
  /** A message (or, to staff, a private note) in a conversation this socket opened. */
  "chat:message": (payload: ChatMessageView) => void;
  "chat:read": (payload: { conversationId: string; userId: string; isStaff: boolean; seq: number; at: string }) => void;
  "chat:typing": (payload: { conversationId: string; userId: string; name: string; isStaff: boolean; typing: boolean }) => void;
  "chat:status": (payload: { conversationId: string; status: "open" | "resolved" }) => void;
  /** To a member's tabs: unread staff replies (the launcher's badge). */
  "chat:unread": (payload: { unread: number }) => void;
  /** To a member: their account manager's presence changed. */
  "chat:presence": (payload: { managerId: string; presence: "online" | "away" | "offline" }) => void;
  /** To staff with a member's page open: a new touchpoint, and the score it left. */
  "member:touchpoint": (payload: MemberTouchpointEvent) => void;
  /** To staff: a conversation in their inbox changed; refetch the list. */
  "inbox:changed": (payload: { conversationId: string }) => void;
  /** To staff: conversations in their inbox with member messages they have not read (the Inbox link's badge). */
  "inbox:unread": (payload: { unread: number }) => void;
}

export interface MemberTouchpointEvent {
  memberId: string;
  score: number;
  item: {
    id: string;
    kind: string;
    data: unknown;
    occurredAt: string;
    subjectType: string | null;
    subjectId: string | null;
    actor: { id: string; displayName: string; role: string } | null;
    /** A staff note's excerpt, rendered. */
    noteHtml: string | null;
  } | null;
}

export interface ForumPostEvent {
  threadId: string;
  post: ForumPostView;
}

export interface ForumThreadMovedEvent {
  threadId: string;
  title: string;
  /** The category as the thread page's loader gives it. */
  category: { id: string; slug: string; nameVi: string; nameEn: string; color: string; readRole: "everyone" | "staff" };
}

/**
 * A post as a thread page shows it: the loader's shape, so a live post renders
 * like a loaded one. Dates are Dates from the loader and ISO strings over the socket.
 */
export interface ForumPostView<D extends Date | string = string> {
  id: string;
  position: number;
  bodyHtml: string;
  createdAt: D;
  editedAt: D | null;
  deletedAt: D | null;
  hiddenAt: D | null;
  quotePostId: string | null;
  author: { id: string; displayName: string; username: string; avatarKey: string | null; avatar: string | null; role: string; deletedAt: D | null };
}

export type { ChatMessageView };

export interface ChatOpened {
  role: "member" | "manager" | "backup" | "admin";
  conversation: { id: string; status: "open" | "resolved"; lastSeq: number; waitingSince: string | null; member: { id: string; displayName: string } };
  reads: { member: { seq: number; at: string } | null; staff: { seq: number; at: string } | null; mine: number };
  messages: ChatMessageView[];
  more: boolean;
}

export interface ClientToServerEvents {
  /** Round-trip check; answers with the server time and who the socket is. */
  "presence:ping": (ack: (result: Ack<{ userId: string; serverTime: string }>) => void) => void;
  /** Start receiving a thread's new posts. */
  "thread:watch": (payload: { threadId: string }, ack: (result: Ack<{ threadId: string }>) => void) => void;
  "thread:unwatch": (payload: { threadId: string }) => void;
  /** Joins a conversation (members: their own when no id is given) and returns its latest page. */
  "chat:open": (payload: { conversationId?: string }, ack: (result: Ack<ChatOpened>) => void) => void;
  "chat:send": (
    payload: { conversationId: string; clientId: string; body: string; note?: boolean },
    ack: (result: Ack<{ message: ChatMessageView; duplicate: boolean }>) => void,
  ) => void;
  /** Older messages (before) or everything newer than the last one the client has (after). */
  "chat:history": (
    payload: { conversationId: string; before?: number; after?: number; limit?: number },
    ack: (result: Ack<{ messages: ChatMessageView[]; more: boolean }>) => void,
  ) => void;
  "chat:read": (payload: { conversationId: string; seq: number }, ack: (result: Ack<{ seq: number }>) => void) => void;
  "chat:typing": (payload: { conversationId: string; typing: boolean }) => void;
  "chat:resolve": (payload: { conversationId: string; resolved: boolean }, ack: (result: Ack<null>) => void) => void;
  /** Staff: mark themselves away (their backup answers) or back. */
  "chat:away": (payload: { away: boolean }, ack: (result: Ack<{ presence: "online" | "away" | "offline" }>) => void) => void;
  /** Staff: follow a member's new touchpoints while their page is open. */
  "member:watch": (payload: { memberId: string }, ack: (result: Ack<{ memberId: string }>) => void) => void;
  "member:unwatch": (payload: { memberId: string }) => void;
}

export interface SocketData {
  userId: string;
  sessionId: string;
  role: string;
  /** The user's language, for the messages of error acks. */
  locale: string;
}

export const userRoom = (userId: string) => `user:${userId}`;

type Answers<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]> extends [...unknown[], (result: never) => void] ? "ack" : "none";

/** Every client event by name, and whether it is answered: the type keeps it complete (tests walk it). */
export const CLIENT_EVENTS = {
  "presence:ping": "ack",
  "thread:watch": "ack",
  "thread:unwatch": "none",
  "chat:open": "ack",
  "chat:send": "ack",
  "chat:history": "ack",
  "chat:read": "ack",
  "chat:typing": "none",
  "chat:resolve": "ack",
  "chat:away": "ack",
  "member:watch": "ack",
  "member:unwatch": "none",
} as const satisfies { [E in keyof ClientToServerEvents]: Answers<E> };
