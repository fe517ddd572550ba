import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  return null;
}

const SECTIONS: { to: string; label: MessageKey }[] = [
  { to: "/profile", label: "profile.details" },
  { to: "/profile/remember", label: "remember.title" },
  { to: "/profile/products", label: "myProducts.title" },
  { to: "/profile/offers", label: "offers.forYou" },
  { to: "/profile/privacy", label: "consent.title" },
  { to: "/profile/activity", label: "profile.activity" },
  { to: "/profile/security", label: "profile.security" },
];

export default function ProfileLayout() {
  const t = useT();
  return (
    <div className="with-sidebar">
      <nav aria-label={t("profile.title")} className="subnav">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.to}>
              <NavLink to={s.to} end>
                {t(s.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="with-sidebar__main">
        <Outlet />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
