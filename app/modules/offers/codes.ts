/**
 * Offer codes, as pure functions: the unguessable single-use codes Rapport generates, and a
 * list pasted from the shop read into codes, duplicates and unusable lines.
 */
import { randomBytes } from "node:crypto";

/**
 * Base32 without the characters people misread (0/O, 1/I): 32 symbols, so one random byte's low
 * five bits pick one uniformly. Twelve of them are 60 bits: guessing one live code of a million
 * issued takes ~10^12 tries, and the shop's endpoint is keyed and signed besides.
 */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const GENERATED_CODE_LENGTH = 12;
export const CODE_MAX_LENGTH = 64;
export const CODE_LIST_MAX = 10_000;

export type RandomSource = (size: number) => Uint8Array;

/** "K7QM-3XWD-P9TA": grouped by four so it can be read out over the phone. */
export function generateCode(random: RandomSource = randomBytes) {
  const bytes = random(GENERATED_CODE_LENGTH);
  let out = "";
  for (let i = 0; i < GENERATED_CODE_LENGTH; i++) {
    if (i && i % 4 === 0) out += "-";
    out += CODE_ALPHABET[bytes[i]! & 31];
  }
  return out;
}

/** What a shop's code may look like: printable, no spaces, at most 64 characters. */
const CODE_SHAPE = /^[\x21-\x7e]{1,64}$/;

export interface CodeList {
  codes: string[];
  /** Codes that appear more than once (each named once). */
  duplicates: string[];
  /** Lines that cannot be a code (spaces inside, control or non-ASCII characters, too long). */
  invalid: string[];
}

/** One code per line; blank lines and surrounding spaces are ignored, order is kept. */
export function parseCodeList(text: string): CodeList {
  const codes: string[] = [];
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const invalid: string[] = [];
  for (const line of text.split(/\r?\n|\r/)) {
    const code = line.trim();
    if (!code) continue;
    if (!CODE_SHAPE.test(code)) {
      invalid.push(code.slice(0, CODE_MAX_LENGTH));
      continue;
    }
    if (seen.has(code)) duplicates.add(code);
    else {
      seen.add(code);
      codes.push(code);
    }
  }
  return { codes, duplicates: [...duplicates], invalid };
}

/** What the shop sends, made comparable: surrounding spaces dropped. */
export function normalizeCode(code: string) {
  return code.trim();
}
