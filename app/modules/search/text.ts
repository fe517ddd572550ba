/**
 * Text rules shared by both search engines and the snippets: folding
 * (what the database's rapport_fold does), syllable tokens, one-edit
 * distance and highlighted segments. No server imports: unit-testable.
 */

/** Lower case without tones or other marks, đ → d: "Đà Nẵng" → "da nang". */
export function fold(text: string) {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Syllables as typed (lower case, NFC), in order. */
export function syllables(text: string) {
  return (text.normalize("NFC").toLowerCase().match(WORD) ?? []).filter((w) => w.length <= 40);
}

/** Whether a syllable carries a tone or other mark the folding removes. */
export function hasMarks(syllable: string) {
  return fold(syllable) !== syllable;
}

/** Words of this many letters or more tolerate one typo (Meilisearch's default too). */
export const TYPO_MIN_LENGTH = 5;

/**
 * At most one edit apart: an insertion, deletion, substitution, or two
 * neighbours swapped (people type "khahc" for "khach").
 */
export function withinOneEdit(a: string, b: string) {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Vietnamese tone and vowel marks as digits, in NFD order: what survives an
 * engine that folds diacritics itself (Meilisearch), so the exact-tone rule
 * can still be asked of it. Other marks (ü, ç) share one code.
 */
const MARK_CODES: Record<string, string> = {
  "\u0300": "1", // huyền
  "\u0301": "2", // sắc
  "\u0303": "3", // ngã
  "\u0309": "4", // hỏi
  "\u0323": "5", // nặng
  "\u0302": "6", // â ê ô
  "\u0306": "7", // ă
  "\u031b": "8", // ơ ư
};

/**
 * One token per marked syllable that no other syllable shares and none is a
 * prefix of: "dế" → "vtde62q", "dê" → "vtde6q" (the closing q keeps the
 * goat's token from prefix-matching the cricket's as the last word typed).
 * Null for a syllable without marks.
 */
export function toneToken(syllable: string): string | null {
  const word = syllable.normalize("NFC").toLowerCase();
  if (!hasMarks(word)) return null;
  let out = "vt";
  for (const ch of word.normalize("NFD")) out += ch === "đ" ? "d9" : /\p{M}/u.test(ch) ? (MARK_CODES[ch] ?? "0") : ch;
  return `${out}q`;
}

/** The distinct tone tokens of a text, space-separated (a hidden searchable field). */
export function toneTokens(text: string) {
  return [...new Set(syllables(text).map(toneToken).filter((t): t is string => t !== null))].join(" ");
}

/**
 * The query with each marked syllable replaced by its tone token, quotes
 * kept: what matches it is a subset of what the query itself matches,
 * namely the documents holding every marked syllable exactly as typed.
 */
export function toneQuery(q: string) {
  return q.normalize("NFC").replace(/[\p{L}\p{N}]+/gu, (w) => toneToken(w) ?? w);
}

export interface QueryTerms {
  /** Folded syllables of the query, in order. */
  folded: string[];
  /** Syllables as typed that carry marks, for the exact-tone ranking. */
  marked: string[];
  /** Quoted parts, folded: they must match as phrases. */
  phrases: string[][];
}

export const MAX_QUERY_SYLLABLES = 8;

export function parseQuery(q: string): QueryTerms {
  let typed = syllables(q).slice(0, MAX_QUERY_SYLLABLES);
  // A lone last letter is a word being typed: as a prefix it would match most of the index.
  if (typed.length > 1 && typed.at(-1)!.length === 1) typed = typed.slice(0, -1);
  const phrases = [...q.matchAll(/"([^"]+)"/g)]
    .map((m) => syllables(m[1]!).map(fold))
    .filter((p) => p.length > 1);
  return { folded: typed.map(fold), marked: typed.filter(hasMarks), phrases };
}

/** Does this word of a text match one of the query's folded syllables? */
export function wordMatches(foldedWord: string, terms: string[]) {
  return terms.some((t) => foldedWord.startsWith(t) || (t.length >= TYPO_MIN_LENGTH && withinOneEdit(foldedWord, t)));
}

export interface Segment {
  text: string;
  mark?: true;
}

function segmentsOf(text: string, terms: string[]): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    if (!wordMatches(fold(m[0]), terms)) continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], mark: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** The whole text with matching words marked (titles). */
export function highlight(text: string, terms: string[]): Segment[] {
  return segmentsOf(text, terms);
}

/**
 * A window of about `length` characters around the first match, cut at
 * word boundaries, with "…" where it was cut. Returned as segments that the
 * UI renders as text and <mark>: no HTML string ever exists to be escaped.
 */
export function snippet(text: string, terms: string[], length = 180): Segment[] {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= length) return segmentsOf(clean, terms);
  let first = 0;
  for (const m of clean.matchAll(WORD)) {
    if (wordMatches(fold(m[0]), terms)) {
      first = m.index;
      break;
    }
  }
  let start = Math.max(0, first - Math.floor(length / 3));
  if (start > 0) {
    const space = clean.indexOf(" ", start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  let end = Math.min(clean.length, start + length);
  if (end < clean.length) {
    const space = clean.lastIndexOf(" ", end);
    if (space > first) end = space;
  }
  const segments = segmentsOf(clean.slice(start, end), terms);
  if (start > 0) segments.unshift({ text: "…" });
  if (end < clean.length) segments.push({ text: "…" });
  return segments;
}

export { htmlToText } from "../markdown/html-to-text";
