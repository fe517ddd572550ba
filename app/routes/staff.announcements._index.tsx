import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DataTable, ListPageHead } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listAnnouncements } from "~/modules/announcements/announcements.server";
import { requireStaffActor } from "~/utils/auth.server";
import { useDates, useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return { announcements: await listAnnouncements(context.services, requireStaffActor(context, request)) };
}

export default function Announcements() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { announcements } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <ListPageHead title={t("announcements.title")} create={{ to: "/staff/announcements/new", label: t("announcements.new") }} />
      {announcements.length ? (
        <DataTable
          className="table announcement-table"
          caption={<caption className="visually-hidden">{t("announcements.title")}</caption>}
          heads={[t("announcements.col.title"), t("announcements.col.status"), t("announcements.col.audience"), t("announcements.col.progress")]}
        >
          {announcements.map((a) => {
            const title = (locale === "en" ? a.titleEn || a.titleVi : a.titleVi || a.titleEn) || t("announcements.untitled");
            return (
              <tr key={a.id}>
                <td>
                  <Link to={`/staff/announcements/${a.id}`}>{title}</Link>
                  {a.createdBy ? <span className="muted small"> {t("announcements.by", { name: a.createdBy.displayName })}</span> : null}
                </td>
                <td>
                  <span className="badge">{t(`announcement.status.${a.status}`)}</span>
                  {a.status === "scheduled" && a.scheduledAt ? <div className="muted small">{t("announcement.scheduledFor", { when: dates.dateTime(a.scheduledAt) })}</div> : null}
                </td>
                <td>
                  {a.segment.name} · {t(`consent.${a.topic}` as MessageKey)}
                </td>
                <td className="small announcement-table__progress">{t("announcements.progress", a.counts)}</td>
              </tr>
            );
          })}
        </DataTable>
      ) : (
        <p className="muted">{t("announcements.none")}</p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
