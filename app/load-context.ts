import type { Session, User } from "lucia";
import type { Services } from "./modules/services.server";
import type { Locale } from "./i18n/locales";

export type Theme = "light" | "dark" | "system";

/** What server/ hands every loader and action (getLoadContext). */
export interface RequestContext {
  services: Services;
  user: User | null;
  session: Session | null;
  locale: Locale;
  /** The reader's IANA time zone: every date on the page is written in it. */
  timeZone: string;
  theme: Theme;
  cspNonce: string;
  requestId: string;
  ip: string;
  /** Whether the connection itself comes from this machine (its socket's address, never a forwarded header). */
  fromLoopback: boolean;
  userAgent: string | null;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}
}
