/**
 * Building blocks of the staff dashboard: a section with its scope, a chart
 * drawn only in the browser, and the data table every chart has as its text
 * alternative (rendered on the server, opened on demand).
 */
import { lazy, Suspense, type ReactNode } from "react";
import { useHydrated } from "~/components/use-hydrated";
import type { DashboardChartProps } from "~/components/dashboard-charts";
import type { Translate } from "~/i18n/translate";
import { useT } from "~/utils/i18n";

const DashboardChart = lazy(() => import("~/components/dashboard-charts"));

/** The chart, in the browser only; hidden from assistive technology, which reads the table. */
export function ClientChart({ tall, ...props }: DashboardChartProps & { tall?: boolean }) {
  const hydrated = useHydrated();
  return (
    <div className={`chart${tall ? " chart--tall" : ""}`} aria-hidden="true" data-testid="chart">
      {hydrated ? (
        <Suspense fallback={null}>
          <DashboardChart {...props} />
        </Suspense>
      ) : null}
    </div>
  );
}

export function DashboardSection({
  id,
  title,
  scope,
  hint,
  children,
}: {
  id: string;
  title: string;
  scope: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-figure={id}>
      <h2 id={`${id}-title`}>
        {title} <span className="scope">{scope}</span>
      </h2>
      {hint ? <p className="muted small">{hint}</p> : null}
      {children}
    </section>
  );
}

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** The first column names the row. */
  rowHeader?: boolean;
}

export function DataTable<Row>({ caption, columns, rows, open }: { caption: string; columns: Column<Row>[]; rows: Row[]; open?: boolean }) {
  const t = useT();
  return (
    <details className="chart-table" open={open}>
      <summary>{t("dashboard.table")}</summary>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.header} scope="col">
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {columns.map((c) =>
                  c.rowHeader ? (
                    <th key={c.header} scope="row">
                      {c.cell(row)}
                    </th>
                  ) : (
                    <td key={c.header}>{c.cell(row)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** A count per category (ideas by status, members by stage) as a bar chart and its table, in the given order. */
export function CountChart({
  type,
  caption,
  rows,
  labels,
  headers,
  color,
  formatCount,
}: {
  type: "bar" | "horizontal-bar";
  caption: string;
  rows: { key: string; count: number }[];
  labels: Record<string, string>;
  headers: [category: string, count: string];
  color: string;
  formatCount: (count: number) => string;
}) {
  return (
    <>
      <ClientChart type={type} data={rows} categoryKey="key" categoryLabels={labels} series={[{ key: "count", label: headers[1], color }]} />
      <DataTable
        caption={caption}
        rows={rows}
        columns={[
          { header: headers[0], cell: (row) => labels[row.key] ?? row.key, rowHeader: true },
          { header: headers[1], cell: (row) => formatCount(row.count) },
        ]}
      />
    </>
  );
}

/** 45 s, 12 min, 2 h 5 min. */
export function formatDuration(t: Translate, seconds: number | null) {
  if (seconds === null) return "—";
  if (seconds < 60) return t("dashboard.duration.seconds", { count: seconds });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t("dashboard.duration.minutes", { count: minutes });
  return t("dashboard.duration.hours", { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}
