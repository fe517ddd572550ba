/** Chat payloads shared by the server, the socket events and the browser. */
export interface ChatMessageView {
  id: string;
  conversationId: string;
  /** Position in the conversation: 1, 2, 3 … in commit order. */
  seq: number;
  kind: "message" | "note";
  bodyHtml: string;
  clientId: string;
  createdAt: string;
  sender: { id: string; displayName: string; isStaff: boolean } | null;
}
