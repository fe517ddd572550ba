import { en, type MessageKey } from "./en";
import { vi } from "./vi";
import type { Locale } from "./locales";

const CATALOGS = { en, vi } as const;

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function isMessageKey(value: string): value is MessageKey {
  return value in en;
}

export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  return (key, vars) => {
    const template = catalog[key] ?? en[key] ?? key;
    return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
  };
}

/** Field errors carry message keys; anything else is shown as it is. */
export function translateError(t: Translate, error: string) {
  return isMessageKey(error) ? t(error) : error;
}
