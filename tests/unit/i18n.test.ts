import { describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en.ts";
import { vi } from "../../app/i18n/vi.ts";
import { translator } from "../../app/i18n/translate.ts";
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
  });
});

describe("the language is chosen like a person would expect", () => {
  it("reads Accept-Language with q-values and region tags", () => {
    expect(localeFromAcceptLanguage("en-US,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("fr-FR, vi-VN;q=0.8, en;q=0.5")).toBe("vi");
    expect(localeFromAcceptLanguage("fr, de")).toBeNull();
    expect(localeFromAcceptLanguage(undefined)).toBeNull();
  });

  it("prefers the switcher's cookie, then the account, then the browser, then Vietnamese", () => {
    expect(resolveLocale("en", "vi", "vi", "vi")).toBe("en");
    expect(resolveLocale(null, "en", "vi", "vi")).toBe("en");
    expect(resolveLocale(null, null, "en-GB", "vi")).toBe("en");
    expect(resolveLocale("xx", undefined, "de", "vi")).toBe("vi");
  });
});
