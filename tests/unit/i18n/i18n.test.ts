import { describe, expect, it } from "vitest";
import { en } from "../../../app/i18n/en.ts";
import { vi } from "../../../app/i18n/vi.ts";
import { translateError, translator } from "../../../app/i18n/translate.ts";
import { localeFromAcceptLanguage } from "../../../app/i18n/locales.ts";
import { resolveLocale } from "../../../server/http.ts";

/** The variables a message reads: `{name}` and the counts of `{count, plural, ...}`. */
const placeholders = (s: string) =>
  [...new Set([...s.matchAll(/(?<!(?:=\d+|\b(?:zero|one|two|few|many|other))\s*)\{(\w+)(?:\}|\s*,\s*plural\s*,)/g)].map((m) => m[1]))].sort();

describe("every string exists in Vietnamese and English", () => {
  it("has the same keys in both catalogues", () => {
    expect(Object.keys(vi).sort()).toEqual(Object.keys(en).sort());
  });

  it("uses the same placeholders in both languages and leaves no message empty", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(vi[key]), key).toEqual(placeholders(en[key]));
      expect(vi[key].trim(), key).not.toBe("");
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translator("vi")("home.hello", { name: "Mai" })).toBe("Xin chào, Mai");
    expect(translator("en")("home.hello")).toBe("Hello, {name}");
    expect(translator("en")("home.hello", { someoneElse: "Lan" })).toBe("Hello, {name}");
    expect(translator("en")("login.rateLimited", { minutes: 15 })).toBe("Too many attempts. Try again in 15 minutes.");
    // A value is inserted as it is, never read as another placeholder.
    expect(translator("en")("home.hello", { name: "{name} $& $1" })).toBe("Hello, {name} $& $1");
  });

  it("translates error keys from validation and shows any other message as it is", () => {
    const t = translator("en");
    expect(translateError(t, "validation.passwordTooShort")).toBe(en["validation.passwordTooShort"]);
    expect(translateError(translator("vi"), "validation.passwordTooShort")).toBe(vi["validation.passwordTooShort"]);
    expect(translateError(t, "Something the server said.")).toBe("Something the server said.");
  });
});

const keys = Object.keys(en) as (keyof typeof en)[];
// Variables that hold a number of things; a noun after one must agree with it.
const COUNTS = ["count", "n", "total", "days", "hours", "minutes", "seconds", "messages", "threads", "replies", "rating", "max", "pages"];
// Words that read the same after 1 and after 2 ("3 of 5 stars", "2 new", "4 min").
// Unit symbols (min, s, ms, h) take no plural.
const INVARIANT = new Set(["of", "new", "unread", "min", "s", "ms", "h", "at"]);
const pluralVariables = (s: string) => [...s.matchAll(/\{(\w+)\s*,\s*plural\s*,/g)].map((m) => m[1]!);
const sameShape = (s: string) => s.replace(/\d[\d.,]*/g, "N");

describe("counts agree with their nouns in both languages", () => {
  it("writes no English count as a bare number before a noun, and never '(s)'", () => {
    const bare = new RegExp(`\\{(${COUNTS.join("|")})\\} (\\p{L}+)`, "gu");
    for (const key of keys) {
      expect(en[key], key).not.toContain("(s)");
      for (const [, name, word] of en[key].matchAll(bare)) expect(INVARIANT.has(word!), `${key}: {${name}} ${word}`).toBe(true);
    }
  });

  it("renders each plural in English with one form for 1 and another for 0, 2 and 21, and one form in Vietnamese", () => {
    const [tEn, tVi] = [translator("en"), translator("vi")];
    const plurals = keys.filter((key) => pluralVariables(en[key]).length);
    expect(plurals.length).toBeGreaterThan(30);
    for (const key of plurals) {
      const counts = (n: number) => Object.fromEntries(pluralVariables(en[key]).map((name) => [name, n]));
      const render = (t: typeof tEn, n: number) => sameShape(t(key, counts(n)));
      expect(render(tEn, 1), key).not.toBe(render(tEn, 2));
      expect(render(tEn, 21), key).toBe(render(tEn, 2));
      expect(render(tEn, 1), key).not.toMatch(/, plural,|#/);
      for (const n of [0, 1, 2, 21]) expect(tVi(key, counts(n)), `${key} in Vietnamese`).not.toMatch(/, plural,|#/);
      expect(render(tVi, 1), `${key} in Vietnamese`).toBe(render(tVi, 21));
    }
    // Vietnamese has no singular: its plurals choose only by exact value or fall to "other".
    for (const key of keys) for (const [, selector] of vi[key].matchAll(/(?:\}|,)\s*(zero|one|two|few|many)\s*\{/g)) expect.fail(`${key} uses ${selector}`);
  });

  it("says what a person would read", () => {
    const t = translator("en");
    expect(t("forum.threads", { count: 1 })).toBe("1 thread");
    expect(t("forum.replies", { count: 1 })).toBe("1 reply");
    expect(t("forum.replies", { count: 0 })).toBe("No replies");
    expect(t("forum.replies", { count: 2 })).toBe("2 replies");
    expect(t("review.helpfulCount", { count: 1 })).toBe("1 person found this helpful");
    expect(t("profile.sessionsCount", { count: 1 })).toBe("You are logged in on 1 device.");
    expect(t("tasks.overdueBy", { count: 3 })).toBe("Overdue by 3 days");
    expect(t("tasks.overdueBy", { count: 1 })).toBe("Overdue by 1 day");
    // Stored touchpoint data arrives as strings.
    expect(t("touchpoint.review.written", { product: "Tent", rating: "1" })).toBe("Reviewed Tent: 1 star");
    expect(translator("vi")("forum.replies", { count: 0 })).toBe("Chưa có trả lời");
    expect(translator("vi")("forum.threads", { count: 1 })).toBe("1 chủ đề");
  });

  it("writes numbers with the reader's separators", () => {
    expect(translator("en")("forum.threads", { count: 1234 })).toBe("1,234 threads");
    expect(translator("vi")("forum.threads", { count: 1234 })).toBe("1.234 chủ đề");
    expect(translator("en")("forum.postNumber", { position: 1234 })).toBe("Post #1,234");
  });

  it("leaves a plural without its count visible rather than guessing", () => {
    expect(translator("en")("forum.threads", {})).toBe(en["forum.threads"]);
    expect(translator("en")("forum.threads", { count: "many" })).toBe(en["forum.threads"]);
  });
});

describe("the language is chosen like a person would expect", () => {
  it("reads Accept-Language with q-values and region tags", () => {
    expect(localeFromAcceptLanguage("en-US,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("fr-FR, vi-VN;q=0.8, en;q=0.5")).toBe("vi");
    expect(localeFromAcceptLanguage("fr, de")).toBeNull();
    expect(localeFromAcceptLanguage(undefined)).toBeNull();
    expect(localeFromAcceptLanguage("")).toBeNull();
  });

  it("follows the weights, not the order, and the order when weights tie", () => {
    expect(localeFromAcceptLanguage("en;q=0.4, vi;q=0.9")).toBe("vi");
    expect(localeFromAcceptLanguage("en, vi")).toBe("en");
    expect(localeFromAcceptLanguage("vi, en")).toBe("vi");
    expect(localeFromAcceptLanguage("fr;q=1.0, en-GB;q=0.7, vi;q=0.3")).toBe("en");
  });

  it("never picks a language the browser refused (q=0) and ignores unreadable weights and wildcards", () => {
    expect(localeFromAcceptLanguage("vi;q=0, en;q=0.1")).toBe("en");
    expect(localeFromAcceptLanguage("en;q=0")).toBeNull();
    expect(localeFromAcceptLanguage("en;q=abc, vi;q=0.2")).toBe("vi");
    expect(localeFromAcceptLanguage("*")).toBeNull();
    expect(localeFromAcceptLanguage("EN-us")).toBe("en");
    expect(localeFromAcceptLanguage(" vi-VN ; q=0.8 ")).toBe("vi");
  });

  it("prefers the switcher's cookie, then the account, then the browser, then Vietnamese", () => {
    expect(resolveLocale("en", "vi", "vi", "vi")).toBe("en");
    expect(resolveLocale(null, "en", "vi", "vi")).toBe("en");
    expect(resolveLocale(null, null, "en-GB", "vi")).toBe("en");
    expect(resolveLocale("xx", undefined, "de", "vi")).toBe("vi");
    expect(resolveLocale(null, null, undefined, "en")).toBe("en");
    // A stale or tampered value anywhere is skipped, not trusted.
    expect(resolveLocale("fr", "de", "en-US,vi;q=0.5", "vi")).toBe("en");
    expect(resolveLocale(null, "fr", "vi", "en")).toBe("vi");
  });
});
