import { Form, Link, NavLink, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import type { loader as rootLoader } from "~/root";
import { useSocket, useSocketEvent } from "~/realtime/client";
import { useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { NotificationBell } from "./notification-bell";
import { ChatLauncher, ChatLink } from "./chat-launcher";
import { SearchBox } from "./search-box";
import { useHydrated } from "./use-hydrated";

/** `sections`: other paths under which the link stands for the current page (a hub's sections). */
type NavItem = { to: string; label: MessageKey; admin?: boolean; moderator?: boolean; member?: boolean; sections?: string[] };

/** What everyone uses. Staff chat from the console's inbox, so /chat is a signed-in member's link. */
const MAIN_NAV: NavItem[] = [
  { to: "/community", label: "nav.community" },
  { to: "/ideas", label: "nav.ideas" },
  { to: "/products", label: "nav.products" },
  { to: "/chat", label: "nav.chat", member: true },
  { to: "/profile", label: "nav.profile" },
];

/** The console, in a bar of its own for staff, so the main row keeps to one line. */
const CONSOLE_NAV: NavItem[] = [
  { to: "/staff", label: "nav.dashboard" },
  { to: "/staff/members", label: "nav.members" },
  { to: "/staff/inbox", label: "nav.inbox" },
  { to: "/staff/tasks", label: "nav.tasks" },
  // Segments, announcements and offers, behind one link so an admin's bar stays one row on a laptop.
  { to: "/staff/outreach", label: "nav.outreach", sections: ["/staff/segments", "/staff/announcements", "/staff/offers"] },
  { to: "/staff/moderation", label: "nav.moderation", moderator: true },
  { to: "/staff/products", label: "nav.products" },
  { to: "/staff/assignments", label: "nav.assignments", admin: true },
  { to: "/staff/team", label: "nav.team", admin: true },
  { to: "/staff/categories", label: "nav.categories", admin: true },
  { to: "/staff/system", label: "nav.system", admin: true },
  { to: "/staff/audit", label: "nav.audit", admin: true },
];

const under = (pathname: string, path: string) => pathname === path || pathname.startsWith(`${path}/`);

function NavList({ items, label, className, id, unread = {} }: { items: NavItem[]; label: string; className: string; id?: string; unread?: Record<string, number> }) {
  const t = useT();
  const { pathname } = useLocation();
  return (
    <nav aria-label={label} className={className} id={id}>
      <ul>
        {items.map((item) => {
          const content = (
            <>
              {t(item.label)}
              {unread[item.to] ? (
                <span className="nav__count" aria-hidden="true">
                  {unread[item.to]! > 99 ? "99+" : unread[item.to]}
                </span>
              ) : null}
            </>
          );
          const ariaLabel = unread[item.to] ? t("nav.withUnread", { label: t(item.label), count: unread[item.to]! }) : undefined;
          // A hub's link is current on the hub and in each of its sections, which the router cannot tell.
          const current = item.sections ? [item.to, ...item.sections].some((path) => under(pathname, path)) : null;
          return (
            <li key={item.to}>
              {current === null ? (
                <NavLink to={item.to} prefetch="intent" end={item.to === "/staff"} aria-label={ariaLabel}>
                  {content}
                </NavLink>
              ) : (
                <Link to={item.to} prefetch="intent" aria-label={ariaLabel} aria-current={current ? "page" : undefined} className={current ? "active" : undefined}>
                  {content}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** Staff: conversations waiting for them, from the page and then live (the server sends it again on every reconnect). */
function useInboxUnread(initial: number | null) {
  const [unread, setUnread] = useState(initial ?? 0);
  useEffect(() => setUnread(initial ?? 0), [initial]);
  const socket = useSocket(initial !== null);
  useSocketEvent(socket, "inbox:unread", useCallback((p: { unread: number }) => setUnread(p.unread), []));
  return unread;
}

export function AppShell({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  const t = useT();
  const location = useLocation();
  const here = location.pathname + location.search;
  const user = data?.user ?? null;
  // A guest has no account manager to chat with (and the header row no room for a link to the log-in page).
  const allowed = (item: NavItem) => (!item.admin || user?.isAdmin) && (!item.moderator || user?.canModerate) && (!item.member || (user && !user.canUseConsole));
  const main = MAIN_NAV.filter(allowed);
  // A moderator outside the staff has no console bar: their one console page goes in the main row.
  if (user?.canModerate && !user.canUseConsole) main.push(CONSOLE_NAV.find((item) => item.moderator)!);
  const consoleItems = user?.canUseConsole ? CONSOLE_NAV.filter(allowed) : [];
  const inboxUnread = useInboxUnread(data?.inboxUnread ?? null);
  // On a phone the navigation and tools fold behind a Menu button (the bell stays out). Folded
  // only once hydrated: without JavaScript everything stays open and usable.
  const hydrated = useHydrated();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [location.pathname]);
  const folded = hydrated && !menuOpen ? " site-fold--closed" : "";

  return (
    <>
      <a className="skip-link" href="#main">
        {t("nav.skipToContent")}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <span aria-hidden="true" className="brand__mark">
              R
            </span>
            {t("app.name")}
          </Link>
          <NavList items={main} label={t("nav.main")} className={`site-nav site-fold${folded}`} id="site-nav" />
          <SearchBox />
          <div className={`site-tools site-fold${folded}`} id="site-tools">
            <Form method="post" action="/preferences" className="inline-form" reloadDocument>
              <input type="hidden" name="redirectTo" value={here} />
              <input type="hidden" name="intent" value="language" />
              <button
                type="submit"
                name="value"
                value={data?.locale === "vi" ? "en" : "vi"}
                className="button button--ghost"
                lang={data?.locale === "vi" ? "en" : "vi"}
                title={t("lang.switch")}
              >
                {data?.locale === "vi" ? t("lang.en") : t("lang.vi")}
              </button>
            </Form>
            <Form method="post" action="/preferences" className="inline-form" reloadDocument>
              <input type="hidden" name="redirectTo" value={here} />
              <input type="hidden" name="intent" value="theme" />
              <button
                type="submit"
                name="value"
                value={data?.theme === "dark" ? "light" : "dark"}
                className="button button--ghost theme-toggle"
                aria-label={t("theme.switch")}
                title={data?.theme === "dark" ? t("theme.light") : t("theme.dark")}
              >
                {data?.theme === "dark" ? (
                  <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2">
                    <circle cx="12" cy="12" r="4" />
                    <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
                  </svg>
                ) : (
                  <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2">
                    <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
                  </svg>
                )}
              </button>
            </Form>
            {user ? <NotificationBell initialUnread={data?.unread ?? 0} /> : null}
            {user && data?.chatUnread !== null && data?.chatUnread !== undefined ? <ChatLink initialUnread={data.chatUnread} /> : null}
            {user ? (
              <Form method="post" action="/logout" className="inline-form">
                <button type="submit" className="button button--ghost">
                  {t("nav.logout")}
                </button>
              </Form>
            ) : (
              <>
                <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="button button--ghost">
                  {t("nav.login")}
                </Link>
                <Link to="/signup" className="button">
                  {t("nav.signup")}
                </Link>
              </>
            )}
          </div>
          {hydrated ? (
            <button type="button" className="button button--ghost menu-toggle" aria-expanded={menuOpen} aria-controls={consoleItems.length ? "site-nav site-tools console-nav" : "site-nav site-tools"} onClick={() => setMenuOpen((open) => !open)}>
              <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2">
                <path d="M4 6h16M4 12h16M4 18h16" />
              </svg>
              {t("nav.menu")}
            </button>
          ) : null}
        </div>
        {consoleItems.length ? (
          <div className={`console-bar site-fold${folded}`} id="console-nav">
            <NavList items={consoleItems} label={t("nav.console")} className="site-nav console-bar__inner" unread={{ "/staff/inbox": inboxUnread }} />
          </div>
        ) : null}
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        {children}
      </main>
      {user && data?.chatUnread !== null && data?.chatUnread !== undefined ? <ChatLauncher initialUnread={data.chatUnread} /> : null}
      <footer className="site-footer">
        <p>{t("app.tagline")}</p>
      </footer>
    </>
  );
}
