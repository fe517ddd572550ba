import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { DataTable, ListPageHead, PostButton } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { can } from "~/modules/policy/can";
import { listSegments } from "~/modules/segments/segments.server";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";

export const meta: MetaFunction = () => [{ title: "Segments · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const actor = { id: user.id, role: user.role };
  const rows = await listSegments(context.services, actor);
  return {
    segments: rows.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      author: s.createdBy?.displayName ?? null,
      updatedAt: s.updatedAt,
      count: s.count,
      canChange: can(actor, "segment.change", {
        authorId: s.createdById ?? "",
      }),
    })),
  };
}

export default function SegmentsList() {
  const t = useT();
  const dates = useDates();
  const { segments } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = params.has("archived") ? t("segments.archived") : params.has("saved") ? t("segments.saved") : null;
  return (
    <div className="stack">
      <ListPageHead title={t("segments.title")} create={{ to: "/staff/segments/new", label: t("segments.new") }} intro={t("segments.intro")} />
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      {segments.length === 0 ? (
        <p className="card muted">{t("segments.none")}</p>
      ) : (
        <DataTable
          wrapClassName="card"
          className="segment-table"
          heads={[t("segments.name"), t("segments.author"), { label: t("segments.members"), className: "numeric" }, { label: t("segments.edit"), hidden: true }]}
        >
          {segments.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                <Link to={`/staff/segments/${s.id}`}>{s.name}</Link>
                {s.description ? <p className="muted small segment-table__description">{s.description}</p> : null}
              </th>
              <td>
                {s.author ?? t("segments.noAuthor")}
                <br />
                <span className="muted small">{t("segments.updated", { date: dates.date(s.updatedAt) })}</span>
              </td>
              <td className="numeric">
                {s.count === null ? (
                  <span className="muted small">{t("segments.storedInvalid")}</span>
                ) : (
                  // Staff see their own share; the members list shows the same scope with "all I can see".
                  <Link to={`/staff/members?segment=${encodeURIComponent(s.id)}&manager=all`}>{t("segments.memberCount", { count: s.count })}</Link>
                )}
              </td>
              <td>
                <div className="actions segment-table__actions">
                  {s.canChange ? <Link to={`/staff/segments/${s.id}`}>{t("segments.edit")}</Link> : null}
                  {s.canChange ? (
                    <PostButton
                      action={`/staff/segments/${s.id}`}
                      fields={{ intent: "archive" }}
                      className="button button--ghost"
                      label={t("segments.archive")}
                      ariaLabel={t("segments.archiveNamed", { name: s.name })}
                    />
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
