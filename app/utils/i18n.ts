import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { translator } from "~/i18n/translate";
import { DEFAULT_LOCALE, type Locale } from "~/i18n/locales";
import type { loader as rootLoader } from "~/root";

export function useLocale(): Locale {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  return data?.locale ?? DEFAULT_LOCALE;
}

export function useT() {
  const locale = useLocale();
  return useMemo(() => translator(locale), [locale]);
}

// Building an Intl.DateTimeFormat costs far more than formatting with one
// (it was a tenth of the thread page's server time): keep one per locale and options.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatDate(locale: Locale, value: string | Date, options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }) {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale === "vi" ? "vi-VN" : "en-GB", options);
    formatters.set(key, formatter);
  }
  return formatter.format(new Date(value));
}
