import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listAudit } from "~/modules/audit/audit.server";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "audit:read:any");
  const url = new URL(request.url);
  return listAudit(context.services.db, {
    before: url.searchParams.get("before"),
    action: url.searchParams.get("action"),
    memberId: url.searchParams.get("member"),
    limit: 50,
  });
}

export default function AuditPage() {
  const t = useT();
  const dates = useDates();
  const { items, nextCursor } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{t("audit.title")}</h1>
      <p className="muted">{t("audit.intro")}</p>
      {items.length === 0 ? (
        <p>{t("audit.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.who")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.member")}</th>
                <th scope="col">{t("audit.details")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={new Date(e.at).toISOString()}>{dates.format(e.at, "precise")}</time>
                  </td>
                  <td>{e.actorName ?? e.actorId ?? "—"}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.targetName || (e.targetMemberId ? t("member.former") : "—")}</td>
                  <td className="break">
                    {[e.subjectType && `${e.subjectType}:${e.subjectId}`, e.data && Object.keys(e.data as object).length ? JSON.stringify(e.data) : null, e.ip]
                      .filter(Boolean)
                      .join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <p>
          <Link to={`?before=${encodeURIComponent(nextCursor)}`}>{t("audit.older")}</Link>
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
