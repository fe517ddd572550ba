import { randomBytes } from "node:crypto";

/**
 * Time-ordered ids (millisecond timestamp + 64 random bits), so rows written
 * in the same millisecond still have a stable order for cursors.
 */
export function newSortableId(now: Date = new Date()) {
  return now.getTime().toString(36).padStart(9, "0") + randomBytes(8).toString("hex");
}

export { newId } from "./auth/tokens.server";
