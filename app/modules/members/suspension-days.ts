/** How long a moderator may suspend for, in days, or until lifted (./standing.server.ts). */
export const SUSPENSION_DAYS = ["1", "7", "30", "365", "lifted"] as const;
