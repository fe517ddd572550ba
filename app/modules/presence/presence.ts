/** A staff member's presence: a tab open (online), open but marked away, or none (offline). */
export type Presence = "online" | "away" | "offline";
