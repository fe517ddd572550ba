import { describe, expect, it } from "vitest";
import { ENGAGEMENT_WEIGHTS, decay, scoreFrom, suggestStage, type ScorePart } from "../../../app/modules/console/engagement.ts";

const DAY = 86_400_000;
const now = new Date("2026-11-23T12:00:00Z");
const since = (days: number) => new Date(now.getTime() - days * DAY);
const part = (kind: string, points: number): ScorePart => ({ kind, area: ENGAGEMENT_WEIGHTS[kind]!.area, count: 1, weight: ENGAGEMENT_WEIGHTS[kind]!.weight, points });

describe("engagement score", () => {
  it("halves a touchpoint's weight for every 30 days of age", () => {
    expect(decay(0)).toBe(1);
    expect(decay(30 * DAY)).toBeCloseTo(0.5, 10);
    expect(decay(60 * DAY)).toBeCloseTo(0.25, 10);
    // A clock a little behind a touchpoint never counts it more than once.
    expect(decay(-5_000)).toBe(1);
  });

  it("adds weight × decay per kind, ignores kinds that do not count, and explains the biggest parts first", () => {
    const { score, parts } = scoreFrom([
      { kind: "forum.replied", count: 4, decayed: 4 }, // 3 × 4 = 12
      { kind: "idea.submitted", count: 1, decayed: 0.5 }, // 6 × 0.5 = 3
      { kind: "chat.session", count: 2, decayed: 1.5 }, // 4 × 1.5 = 6
      { kind: "staff.note_added", count: 9, decayed: 9 }, // staff's own work: nothing
    ]);
    expect(score).toBe(21);
    expect(parts.map((p) => [p.kind, p.points])).toEqual([
      ["forum.replied", 12],
      ["chat.session", 6],
      ["idea.submitted", 3],
    ]);
  });
});

describe("suggested stage", () => {
  it("follows the documented thresholds from Loyal down", () => {
    const community = part("forum.replied", 0);
    const chat = part("chat.session", 0);
    const ideas = part("idea.voted", 0);
    const cases: [number, ScorePart[], number, string][] = [
      [90, [community, chat, ideas], 400, "loyal"],
      [90, [community, chat, ideas], 300, "strengthen"], // not a year yet
      [60, [community, chat], 300, "maintain"], // only two areas
      [30, [community, chat], 100, "develop"], // not 180 days yet
      [30, [community], 400, "build"], // one area only
      [12, [community, chat, ideas], 400, "build"],
      [5, [community], 400, "establish"],
      [0, [], 10, "establish"], // new: under 30 days
      [2, [part("account.signed_up", 2)], 200, "attract"], // signing up is not an area
    ];
    for (const [score, parts, days, stage] of cases) {
      expect(suggestStage({ score, parts, memberSince: since(days), now }).stage, `${score} / ${parts.length} areas / ${days} days`).toBe(stage);
    }
  });

  it("reports the facts it read", () => {
    const suggestion = suggestStage({ score: 30, parts: [part("forum.replied", 20), part("chat.session", 10), part("account.signed_up", 0)], memberSince: since(45), now });
    expect(suggestion.facts).toEqual({ score: 30, areas: ["chat", "community"], tenureDays: 45 });
  });
});
