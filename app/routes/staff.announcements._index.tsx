import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listAnnouncements } from "~/modules/announcements/announcements.server";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "console:access:any");
  return { announcements: await listAnnouncements(context.services.db) };
}

export default function Announcements() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { announcements } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t("announcements.title")}</h1>
        <Link to="/staff/announcements/new" className="button button--primary">
          {t("announcements.new")}
        </Link>
      </div>
      {announcements.length ? (
        <div className="table-wrap">
          <table className="table announcement-table">
            <caption className="visually-hidden">{t("announcements.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("announcements.col.title")}</th>
                <th scope="col">{t("announcements.col.status")}</th>
                <th scope="col">{t("announcements.col.audience")}</th>
                <th scope="col">{t("announcements.col.progress")}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t("announcements.none")}</p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
