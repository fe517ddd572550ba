export function readCookie(header: string, name: string): string | null {
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export const LOCALE_COOKIE = "rapport_lang";
export const THEME_COOKIE = "rapport_theme";
/** The browser's time zone, written by the page for visitors without a saved one. */
export const TIME_ZONE_COOKIE = "rapport_tz";

const YEAR = 60 * 60 * 24 * 365;

/** A non-sensitive preference cookie (language, theme), readable by the server only. */
export function preferenceCookie(name: string, value: string, secure: boolean) {
  return `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${YEAR}; SameSite=Lax; HttpOnly${secure ? "; Secure" : ""}`;
}
