/** Chat payloads shared by the server, the socket events and the browser. */
export interface ChatMessageView {
  id: string;
  conversationId: string;
  /** Position in the conversation: 1, 2, 3 … in commit order. */
  seq: number;
  kind: "message" | "note" | "event";
  bodyHtml: string;
  clientId: string;
  createdAt: string;
  /** On kind "event": what happened, for the viewer's language to phrase. */
  event?: ChatEvent;
  sender: { id: string; displayName: string; isStaff: boolean } | null;
}

export type ChatEvent = { type: "manager_changed"; name: string | null };
