/** What the composer's pages read besides the announcement itself. */
import type { Db } from "../services.server";

/** Saved segments to choose from, by name (the segment editor is /staff/segments). */
export function liveSegments(db: Db) {
  return db.segment.findMany({ where: { archivedAt: null }, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true } });
}
