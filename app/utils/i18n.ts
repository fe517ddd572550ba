import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { translator } from "~/i18n/translate";
import { dateFormat } from "~/i18n/dates";
import { FALLBACK_TIME_ZONE } from "~/modules/console/calendar";
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

/** Dates and times in the reader's language and zone (see app/i18n/dates.ts). */
export function useDates() {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const timeZone = data?.timeZone ?? FALLBACK_TIME_ZONE;
  return useMemo(() => dateFormat(locale, timeZone), [locale, timeZone]);
}
