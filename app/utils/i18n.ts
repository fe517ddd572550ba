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

export function formatDate(locale: Locale, value: string | Date, options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }) {
  return new Intl.DateTimeFormat(locale === "vi" ? "vi-VN" : "en-GB", options).format(new Date(value));
}
