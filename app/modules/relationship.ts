/**
 * The relationship's vocabulary: the seven stages and the engagement bands. Beside the domains
 * rather than in the console, because segments (and through them announcements and offers) filter
 * on them while the console's member list filters by segment.
 */
export const STAGES = ["attract", "establish", "build", "develop", "maintain", "strengthen", "loyal"] as const;
export type Stage = (typeof STAGES)[number];

/** Engagement bands for filters: what "low", "medium" and "high" mean. */
export const ENGAGEMENT_BANDS = { low: [0, 9], medium: [10, 29], high: [30, Number.MAX_SAFE_INTEGER] } as const;
export type EngagementBand = keyof typeof ENGAGEMENT_BANDS;

/** A band as a filter on the score column; the top band has no upper bound (the column is a 32-bit integer). */
export function engagementBandRange(band: EngagementBand): { gte: number; lte?: number } {
  const [min, max] = ENGAGEMENT_BANDS[band];
  return max === Number.MAX_SAFE_INTEGER ? { gte: min } : { gte: min, lte: max };
}
