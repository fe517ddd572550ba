/** Timeline filters: touchpoint kinds grouped the way staff think about them. */
import type { MessageKey } from "~/i18n/en";

export const TIMELINE_GROUPS = {
  profile: ["account.", "profile.", "preference.", "consent.", "data.", "account_manager."],
  community: ["forum."],
  reviews: ["product.", "review."],
  ideas: ["idea."],
  chat: ["chat."],
  staff: ["staff.", "task.", "interaction.", "stage."],
  announcements: ["announcement."],
} as const;
export type TimelineGroup = keyof typeof TIMELINE_GROUPS;
export const TIMELINE_GROUP_NAMES = Object.keys(TIMELINE_GROUPS) as TimelineGroup[];

export function isTimelineGroup(value: unknown): value is TimelineGroup {
  return typeof value === "string" && value in TIMELINE_GROUPS;
}

export const timelineGroupLabel = (group: TimelineGroup) => `crm.timeline.${group}` as MessageKey;

/** Of these kinds, those that start with one of the group's prefixes. */
export function kindsOfGroup(group: TimelineGroup, known: readonly string[]) {
  const prefixes: readonly string[] = TIMELINE_GROUPS[group];
  return known.filter((kind) => prefixes.some((p) => kind.startsWith(p)));
}
