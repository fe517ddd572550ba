import { describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en.ts";
import { vi } from "../../app/i18n/vi.ts";
import { translateError, translator } from "../../app/i18n/translate.ts";
import { localeFromAcceptLanguage } from "../../app/i18n/locales.ts";
import { resolveLocale } from "../../server/http.ts";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
