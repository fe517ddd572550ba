import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ClientChart, CountChart, DashboardSection, DataTable, formatDuration } from "~/components/dashboard-parts";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { labelledFields } from "~/components/field";
import { loadDashboard } from "~/modules/console/dashboard.server";
import { RANGE_PRESETS } from "~/modules/console/dashboard-range";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () => [{ title: "Dashboard · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  return loadDashboard(context.services, { id: user.id, role: user.role }, new URL(request.url).searchParams);
}

export default function StaffDashboard() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const d = useLoaderData<typeof loader>();
  const number = (value: number, digits = 0) => value.toLocaleString(locale === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: digits });
  const day = (value: string) => dates.day(value);
  const community = t("dashboard.scope.community");
  const members = t(d.scope === "all" ? "dashboard.scope.all" : "dashboard.scope.mine");
  const now = t("dashboard.scope.now");
  const customErrors = Object.fromEntries(Object.entries(d.errors).map(([k, v]) => [k, [v]]));
  const { field, invalid } = labelledFields(t, "range", customErrors);
  const dayLabels = Object.fromEntries(d.forumByDay.map((row) => [row.day, dates.day(row.day, "dayMonth")]));
  const stageLabels = Object.fromEntries(d.stages.map((row) => [row.stage, t(`stage.${row.stage}` as MessageKey)]));
  const statusLabels = Object.fromEntries(d.ideasByStatus.map((row) => [row.status, t(`idea.status.${row.status}` as MessageKey)]));
  const productName = (p: { nameVi: string; nameEn: string }) => (locale === "vi" ? p.nameVi : p.nameEn) || p.nameVi;
  const totals = d.forumByDay.reduce((sum, row) => ({ threads: sum.threads + row.threads, replies: sum.replies + row.replies }), { threads: 0, replies: 0 });

  return (
    <div className="stack">
      <h1>{t("dashboard.title")}</h1>
      <p className="muted">
        {t(d.scope === "all" ? "dashboard.intro.all" : "dashboard.intro.mine")} <Link to="/staff/members">{t("dashboard.membersLink")}</Link>
      </p>

      <section className="card stack" aria-labelledby="range-title">
        <h2 id="range-title">{t("dashboard.range")}</h2>
        <ul className="range-presets">
          {RANGE_PRESETS.map((days) => (
            <li key={days}>
              <Link to={`?days=${days}`} aria-current={d.range.preset === days ? "true" : undefined} preventScrollReset>
                {t("dashboard.preset", { count: days })}
              </Link>
            </li>
          ))}
        </ul>
        <Form method="get" className="range-form" aria-label={t("dashboard.custom")} noValidate>
          <FormError message={Object.keys(d.errors).length ? t("dashboard.error.summary") : null} />
          {field("from", "dashboard.from", <input id="range-from" name="from" type="date" defaultValue={d.typed.from || (d.range.preset ? "" : d.range.from)} max={d.today} {...invalid("from")} />)}
          {field("to", "dashboard.to", <input id="range-to" name="to" type="date" defaultValue={d.typed.to || (d.range.preset ? "" : d.range.to)} max={d.today} {...invalid("to")} />)}
          <div className="field">
            <button type="submit" className="button">
              {t("dashboard.apply")}
            </button>
          </div>
        </Form>
        <p role="status">{t("dashboard.showing", { from: day(d.range.from), to: day(d.range.to), count: d.range.days, zone: d.timeZone })}</p>
      </section>

      <div className="figures">
        <DashboardSection id="active" title={t("dashboard.active.title")} scope={members}>
          <p className="figure__value">{number(d.activeMembers.last7)}</p>
          <p className="muted small">{t("dashboard.active.last7")}</p>
          <p className="figure__value">{number(d.activeMembers.last30)}</p>
          <p className="muted small">
            {t("dashboard.active.last30")} · {t("dashboard.active.ofTotal", { total: d.activeMembers.total })}
          </p>
        </DashboardSection>
        <DashboardSection id="chat" title={t("dashboard.chat.title")} scope={members}>
          {d.chatResponse.replies ? (
            <>
              <p className="figure__value">{formatDuration(t, d.chatResponse.median)}</p>
              <p className="muted small">{t("dashboard.chat.median")}</p>
              <p className="figure__value">{formatDuration(t, d.chatResponse.p90)}</p>
              <p className="muted small">{t("dashboard.chat.p90")}</p>
            </>
          ) : null}
          <p className="muted small">{d.chatResponse.replies ? t("dashboard.chat.replies", { count: d.chatResponse.replies }) : t("dashboard.chat.none")}</p>
        </DashboardSection>
        <DashboardSection id="unanswered" title={t("dashboard.unanswered.title")} scope={community} hint={t("dashboard.unanswered.hint")}>
          <p className="figure__value">{number(d.unanswered.count)}</p>
          {d.unanswered.oldest.length ? (
            <>
              <h3>{t("dashboard.unanswered.oldest")}</h3>
              <ul>
                {d.unanswered.oldest.map((thread) => (
                  <li key={thread.id}>
                    <Link to={`/community/t/${thread.id}`}>{thread.title}</Link> <span className="muted small">{dates.date(thread.createdAt)}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted small">{t("dashboard.unanswered.none")}</p>
          )}
        </DashboardSection>
        <DashboardSection id="overdue" title={t("dashboard.overdue.title")} scope={`${members} · ${now}`} hint={d.scope === "mine" ? t("dashboard.overdue.hintMine") : undefined}>
          <p className="figure__value">{number(d.overdueTasks.total)}</p>
          {d.overdueTasks.byAssignee.length ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("dashboard.overdue.assignee")}</th>
                    <th scope="col">{t("dashboard.overdue.count")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.overdueTasks.byAssignee.map((row) => (
                    <tr key={row.id}>
                      <th scope="row">{row.displayName}</th>
                      <td>{number(row.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted small">{t("dashboard.overdue.none")}</p>
          )}
          <p>
            <Link to="/staff/tasks">{t("dashboard.overdue.open")}</Link>
          </p>
        </DashboardSection>
      </div>

      <DashboardSection id="forum" title={t("dashboard.forum.title")} scope={community}>
        <p className="muted small">{t("dashboard.forum.totals", { threads: totals.threads, replies: totals.replies })}</p>
        <ClientChart
          type="line"
          data={d.forumByDay}
          categoryKey="day"
          categoryLabels={dayLabels}
          series={[
            { key: "threads", label: t("dashboard.forum.threads"), color: "var(--chart-1)" },
            { key: "replies", label: t("dashboard.forum.replies"), color: "var(--chart-2)", dash: "6 4" },
          ]}
        />
        <DataTable
          caption={t("dashboard.forum.title")}
          rows={d.forumByDay}
          columns={[
            { header: t("dashboard.forum.day"), cell: (row) => day(row.day), rowHeader: true },
            { header: t("dashboard.forum.threads"), cell: (row) => number(row.threads) },
            { header: t("dashboard.forum.replies"), cell: (row) => number(row.replies) },
          ]}
        />
      </DashboardSection>

      <div className="chart-grid">
        <DashboardSection id="ideas" title={t("dashboard.ideas.title")} scope={community} hint={t("dashboard.ideas.hint")}>
          <CountChart
            type="horizontal-bar"
            caption={t("dashboard.ideas.title")}
            rows={d.ideasByStatus.map((row) => ({ key: row.status, count: row.count }))}
            labels={statusLabels}
            headers={[t("dashboard.ideas.status"), t("dashboard.ideas.count")]}
            color="var(--chart-3)"
            formatCount={number}
          />
        </DashboardSection>

        <DashboardSection id="stages" title={t("dashboard.stages.title")} scope={`${members} · ${now}`}>
          <CountChart
            type="bar"
            caption={t("dashboard.stages.title")}
            rows={d.stages.map((row) => ({ key: row.stage, count: row.count }))}
            labels={stageLabels}
            headers={[t("dashboard.stages.stage"), t("dashboard.stages.members")]}
            color="var(--chart-1)"
            formatCount={number}
          />
        </DashboardSection>
      </div>

      <DashboardSection id="ratings" title={t("dashboard.ratings.title")} scope={`${community} · ${now}`}>
        {d.ratings.length ? (
          <>
            <ClientChart
              type="horizontal-bar"
              tall={d.ratings.length > 6}
              data={d.ratings.map((p) => ({ product: productName(p), average: p.average }))}
              categoryKey="product"
              valueDomain={[0, 5]}
              allowDecimals
              series={[{ key: "average", label: t("dashboard.ratings.average"), color: "var(--chart-2)" }]}
            />
            <DataTable
              caption={t("dashboard.ratings.title")}
              rows={d.ratings}
              columns={[
                { header: t("dashboard.ratings.product"), cell: (p) => <Link to={`/products/${p.slug}`}>{productName(p)}</Link>, rowHeader: true },
                { header: t("dashboard.ratings.average"), cell: (p) => number(p.average, 2) },
                { header: t("dashboard.ratings.reviews"), cell: (p) => number(p.reviewCount) },
              ]}
            />
          </>
        ) : (
          <p className="muted">{t("dashboard.ratings.none")}</p>
        )}
      </DashboardSection>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
