/**
 * The engagement score and the suggested relationship stage: pure rules,
 * shared by the server (which computes them) and the page (which explains
 * them). See docs/decisions/009-staff-console.md.
 *
 * Score = Σ weight(kind) × 0.5^(age / 30 days) over the member's own
 * touchpoints of the last 180 days, rounded. Frequent and recent activity
 * counts most; a touchpoint a month old counts half.
 */
import { type Stage } from "../relationship";
export { STAGES, ENGAGEMENT_BANDS, engagementBandRange, type Stage, type EngagementBand } from "../relationship";

export const HALF_LIFE_DAYS = 30;
export const WINDOW_DAYS = 180;

export type Area = "community" | "cocreation" | "chat" | "profile" | "products" | "meetings" | "account";

/** Points per touchpoint, and the area it shows engagement in. Kinds not listed count nothing. */
export const ENGAGEMENT_WEIGHTS: Record<string, { weight: number; area: Area }> = {
  "account.signed_up": { weight: 2, area: "account" },
  "account.email_verified": { weight: 1, area: "account" },
  "profile.updated": { weight: 2, area: "profile" },
  "profile.avatar_changed": { weight: 1, area: "profile" },
  "preference.set": { weight: 2, area: "profile" },
  "preference.changed": { weight: 2, area: "profile" },
  "consent.changed": { weight: 1, area: "profile" },
  "forum.thread_started": { weight: 5, area: "community" },
  "forum.replied": { weight: 3, area: "community" },
  "forum.reacted": { weight: 1, area: "community" },
  "forum.answer_accepted": { weight: 4, area: "community" },
  "review.written": { weight: 6, area: "cocreation" },
  "review.edited": { weight: 1, area: "cocreation" },
  "review.marked_helpful": { weight: 1, area: "cocreation" },
  "idea.submitted": { weight: 6, area: "cocreation" },
  "idea.voted": { weight: 2, area: "cocreation" },
  "idea.commented": { weight: 3, area: "cocreation" },
  "chat.session": { weight: 4, area: "chat" },
  "product.owner_recorded": { weight: 3, area: "products" },
  "interaction.logged": { weight: 4, area: "meetings" },
};

/**
 * Kinds that count even though staff recorded them: a logged call, a chat
 * day, an ownership are the member's relationship. Everything else counts
 * only when the member did it (a preference staff noted is not the member
 * engaging).
 */
export const COUNTED_WHEN_STAFF_ACT = ["interaction.logged", "chat.session", "product.owner_recorded"];

export function decay(ageMs: number) {
  return 0.5 ** (Math.max(0, ageMs) / (HALF_LIFE_DAYS * 86_400_000));
}

export interface ScorePart {
  kind: string;
  area: Area;
  count: number;
  weight: number;
  /** What these touchpoints add to the score today, after decay. */
  points: number;
}

/** From per-kind counts and decayed sums to the score and its explanation. */
export function scoreFrom(rows: { kind: string; count: number; decayed: number }[]) {
  const parts: ScorePart[] = [];
  for (const row of rows) {
    const rule = ENGAGEMENT_WEIGHTS[row.kind];
    if (!rule || row.count === 0) continue;
    parts.push({ kind: row.kind, area: rule.area, count: row.count, weight: rule.weight, points: Math.round(rule.weight * row.decayed * 10) / 10 });
  }
  parts.sort((a, b) => b.points - a.points || a.kind.localeCompare(b.kind));
  const score = Math.round(parts.reduce((sum, p) => sum + p.points, 0));
  return { score, parts };
}

export interface StageSuggestion {
  stage: Stage;
  /** The facts the rule read, for "why". */
  facts: { score: number; areas: Area[]; tenureDays: number };
  /** The rule that matched, by stage, for the explanation text. */
  rule: Stage;
}

/**
 * The first of these that holds, from Loyal down:
 *  Loyal: score ≥ 80, active in 3+ areas, member for a year or more.
 *  Strengthen: score ≥ 50, 3+ areas, 180+ days.
 *  Maintain: score ≥ 25, 2+ areas, 180+ days.
 *  Develop: score ≥ 25, 2+ areas.
 *  Build: score ≥ 10.
 *  Establish: score ≥ 3 or a member for under 30 days.
 *  Attract: otherwise.
 * "Areas" leave out the account itself (signing up is not engagement).
 */
export function suggestStage(input: { score: number; parts: ScorePart[]; memberSince: Date; now: Date }): StageSuggestion {
  const areas = [...new Set(input.parts.filter((p) => p.area !== "account").map((p) => p.area))].sort();
  const tenureDays = Math.floor((input.now.getTime() - input.memberSince.getTime()) / 86_400_000);
  const { score } = input;
  const facts = { score, areas, tenureDays };
  const n = areas.length;
  const stage: Stage =
    score >= 80 && n >= 3 && tenureDays >= 365
      ? "loyal"
      : score >= 50 && n >= 3 && tenureDays >= 180
        ? "strengthen"
        : score >= 25 && n >= 2 && tenureDays >= 180
          ? "maintain"
          : score >= 25 && n >= 2
            ? "develop"
            : score >= 10
              ? "build"
              : score >= 3 || tenureDays < 30
                ? "establish"
                : "attract";
  return { stage, facts, rule: stage };
}
