import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listMembersForStaff } from "~/modules/members/account-manager.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDate, useLocale, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const members = await listMembersForStaff(context.services, user);
  return { members, scope: user.role === "admin" ? ("all" as const) : ("mine" as const) };
}

export default function StaffConsole() {
  const t = useT();
  const locale = useLocale();
  const { members, scope } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{t("staff.title")}</h1>
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">{scope === "all" ? t("staff.allMembers") : t("staff.myMembers")}</h2>
        {members.length === 0 ? (
          <p>{t("staff.noMembers")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("staff.name")}</th>
                  <th scope="col">{t("staff.email")}</th>
                  <th scope="col">{t("staff.manager")}</th>
                  <th scope="col">{t("staff.since")}</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={`/staff/members/${m.id}`}>{m.displayName}</Link>
                    </td>
                    <td>{m.email}</td>
                    <td>{m.accountManager?.displayName ?? "—"}</td>
                    <td>{formatDate(locale, m.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
