import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import appStyles from "../styles/app.css?url";
import { AppShell } from "./components/app-shell";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { hasPermission } from "./modules/policy/permissions";
import { countUnread } from "./modules/notifications/notifications.server";
import { memberUnread, staffInboxUnread } from "./modules/chat/chat.server";
import { useNonce } from "./utils/nonce";
import { DEFAULT_LOCALE } from "./i18n/locales";
import { TIME_ZONE_COOKIE } from "./utils/cookies";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Rapport" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const { user } = context;
  return {
    unread: user ? await countUnread(context.services.db, user.id) : 0,
    // Members only: staff answer from the inbox, not the launcher.
    chatUnread: user && !hasPermission(user, "console:access:any") ? await memberUnread(context.services.db, user.id) : null,
    // Staff: the Inbox link's badge, kept live over the socket.
    inboxUnread: user && hasPermission(user, "console:access:any") ? await staffInboxUnread(context.services, user) : null,
    locale: context.locale,
    timeZone: context.timeZone,
    theme: context.theme,
    requestId: context.requestId,
    user: user
      ? {
          id: user.id,
          displayName: user.displayName,
          email: user.email,
          role: user.role,
          emailVerified: user.emailVerified,
          canUseConsole: hasPermission(user, "console:access:any"),
          isAdmin: hasPermission(user, "system:read:any"),
          canModerate: hasPermission(user, "moderation:review:any"),
        }
      : null,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang={data?.locale ?? DEFAULT_LOCALE} data-theme={data?.theme ?? "system"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        <AppShell>{children}</AppShell>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>("root");
  // A visitor has no saved zone: tell the server the browser's, for the pages that follow.
  const signedIn = Boolean(data?.user);
  const zone = data?.timeZone;
  useEffect(() => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!signedIn && browserZone && browserZone !== zone) {
      document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(browserZone)}; Path=/; Max-Age=31536000; SameSite=Lax`;
    }
  }, [signedIn, zone]);
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
