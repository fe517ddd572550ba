/** Notification kinds and their default channel. Shared with the UI. */
import { isStaffRole } from "../policy/permissions";
export const NOTIFICATION_KINDS = {
  "account_manager.changed": "email",
  // To the staff member who now manages a member.
  "account_manager.assigned": "in_app",
  "preference.recorded_by_staff": "in_app",
  "account.security": "email",
  // Suspended by a moderator, or the suspension lifted: by email, as the member cannot log in.
  "account.standing": "email",
  // To the person whose role an admin (or the command line) changed: email, as for security.
  "account.role_changed": "email",
  "forum.reply": "in_app",
  "forum.mention": "in_app",
  "review.response": "in_app",
  // To the reviewer's account manager: a 1–2 star review wants a follow-up.
  "review.low_rating": "email",
  // To everyone following the idea: author, voters, commenters.
  "idea.status_changed": "email",
  // To the idea's followers: someone commented.
  "idea.comment": "in_app",
  // Only sent when the recipient is away from the chat: email is the point.
  "chat.member_message": "email",
  "chat.unread_reply": "email",
  // To a named backup: a covered manager's member wrote while the manager was away.
  "chat.covered_message": "in_app",
  // To a task's assignee at 08:00 of its due day (their time zone).
  "task.due": "in_app",
  // An announcement's bell notice; whether it comes at all is the member's consent to its topic.
  "announcement.published": "in_app",
  // To the member: an offer for them, and when it was used (so a use they did not make shows).
  "offer.issued": "in_app",
  "offer.redeemed": "in_app",
} as const satisfies Record<string, "in_app" | "email" | "off">;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_LIST = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];
export const NOTIFICATION_CHANNELS = ["in_app", "email", "off"] as const;
export type NotificationChannelName = (typeof NOTIFICATION_CHANNELS)[number];

/** Sent only to staff: members are not offered a setting for them. */
export const STAFF_NOTIFICATION_KINDS: readonly NotificationKind[] = [
  "account_manager.assigned",
  "review.low_rating",
  "chat.member_message",
  "chat.covered_message",
  "task.due",
];

/** Governed by consent to a topic (/profile/privacy), not by a notification setting. */
export const TOPIC_NOTIFICATION_KINDS: readonly NotificationKind[] = ["announcement.published"];

/** The kinds someone with this role can receive, so can set a channel for. */
export function notificationKindsFor(role: string): NotificationKind[] {
  const staff = isStaffRole(role);
  return NOTIFICATION_KIND_LIST.filter((kind) => !TOPIC_NOTIFICATION_KINDS.includes(kind) && (staff || !STAFF_NOTIFICATION_KINDS.includes(kind)));
}

export function isNotificationKind(value: string): value is NotificationKind {
  return value in NOTIFICATION_KINDS;
}
