/** One's own notifications and how they arrive: anyone signed in (ownership is in each query's where). */
import type { Rules } from "./shared";

export const notificationRules = {
  "notification.own": () => true,
} satisfies Rules;
