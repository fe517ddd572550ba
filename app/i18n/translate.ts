import { en, type MessageKey } from "./en";
import { vi } from "./vi";
import type { Locale } from "./locales";

const CATALOGS = { en, vi } as const;

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;
type Vars = Record<string, string | number>;

export function isMessageKey(value: string): value is MessageKey {
  return value in en;
}

export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  const format = messageFormat(locale);
  return (key, vars) => format(catalog[key] ?? en[key] ?? key, vars);
}

/** Field errors carry message keys; anything else is shown as it is. */
export function translateError(t: Translate, error: string) {
  return isMessageKey(error) ? t(error) : error;
}

const LOCALE_TAGS: Record<Locale, string> = { en: "en-GB", vi: "vi-VN" };
const formats = new Map<Locale, { plural: Intl.PluralRules; number: Intl.NumberFormat }>();

/**
 * Fills `{name}` placeholders and ICU plural forms,
 * `{count, plural, =0 {no replies} one {# reply} other {# replies}}`, where `#`
 * is the count in the locale's digits. The form is picked by Intl.PluralRules
 * (English has one/other, Vietnamese only other). Numbers are written with the
 * locale's Intl.NumberFormat; a placeholder without a value stays visible.
 */
export function messageFormat(locale: Locale) {
  let intl = formats.get(locale);
  if (!intl) {
    intl = { plural: new Intl.PluralRules(LOCALE_TAGS[locale]), number: new Intl.NumberFormat(LOCALE_TAGS[locale]) };
    formats.set(locale, intl);
  }
  const { plural, number } = intl;
  const show = (value: string | number) => (typeof value === "number" ? number.format(value) : value);

  function fill(template: string, vars: Vars, hash: string | null): string {
    const text = (part: string) => (hash === null ? part : part.replaceAll("#", hash));
    let out = "";
    for (let i = 0; ; ) {
      const open = template.indexOf("{", i);
      if (open < 0) return out + text(template.slice(i));
      out += text(template.slice(i, open));
      const close = matchingBrace(template, open);
      if (close < 0) return out + text(template.slice(open));
      out += placeholder(template.slice(open, close + 1), vars);
      i = close + 1;
    }
  }

  function placeholder(whole: string, vars: Vars): string {
    const inner = whole.slice(1, -1);
    const simple = /^\s*(\w+)\s*$/.exec(inner);
    if (simple) {
      const value = vars[simple[1]!];
      return value === undefined ? whole : show(value);
    }
    const head = /^\s*(\w+)\s*,\s*plural\s*,/.exec(inner);
    if (!head) return whole;
    const raw = vars[head[1]!];
    const count = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
    if (!Number.isFinite(count)) return whole;
    const branches = pluralBranches(inner.slice(head[0].length));
    const branch = branches.get(`=${count}`) ?? branches.get(plural.select(count)) ?? branches.get("other");
    return branch === undefined ? whole : fill(branch, vars, number.format(count));
  }

  return (template: string, vars?: Vars) => (vars ? fill(template, vars, null) : template);
}

function matchingBrace(text: string, open: number) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** `one {# thread} other {# threads}` → one → "# thread", other → "# threads". */
function pluralBranches(text: string) {
  const branches = new Map<string, string>();
  const selector = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;
  let match: RegExpExecArray | null;
  while ((match = selector.exec(text))) {
    const open = selector.lastIndex - 1;
    const close = matchingBrace(text, open);
    if (close < 0) break;
    branches.set(match[1]!, text.slice(open + 1, close));
    selector.lastIndex = close + 1;
  }
  return branches;
}
