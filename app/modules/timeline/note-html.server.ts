import { renderMarkdown } from "../markdown/render.server";

/** How much of a staff note its touchpoint keeps. */
export const NOTE_EXCERPT_LENGTH = 140;

/**
 * A staff note's touchpoint carries the start of the note's markdown; it is
 * shown as the record shows notes, through the one renderer (never raw HTML),
 * at read time, so notes written before read right too.
 */
export function withNoteHtml<T extends { kind: string; data: unknown }>(item: T): T & { noteHtml: string | null } {
  const excerpt = item.kind === "staff.note_added" ? (item.data as { excerpt?: unknown } | null)?.excerpt : null;
  if (typeof excerpt !== "string") return { ...item, noteHtml: null };
  return { ...item, noteHtml: renderMarkdown(excerpt.length >= NOTE_EXCERPT_LENGTH ? `${excerpt}…` : excerpt).html };
}
