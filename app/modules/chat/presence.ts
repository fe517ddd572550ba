/** Presence and "usually replies within …", shared by the server and the browser. */
import type { MessageKey } from "~/i18n/en";

export type { Presence } from "../presence/presence";

/** Rounded the way people promise: a few minutes, a quarter hour, an hour… */
export function replyTimeKey(seconds: number): MessageKey {
  if (seconds <= 5 * 60) return "chat.replies.minutes";
  if (seconds <= 15 * 60) return "chat.replies.quarter";
  if (seconds <= 60 * 60) return "chat.replies.hour";
  if (seconds <= 4 * 3600) return "chat.replies.hours";
  if (seconds <= 24 * 3600) return "chat.replies.day";
  return "chat.replies.days";
}
