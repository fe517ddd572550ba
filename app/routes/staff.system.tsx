import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DataTable, PostButton } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listDeadEvents, retryDeadEvent } from "~/modules/outbox/outbox.server";
import { readSystemStatus, type SystemStatus } from "~/modules/system/status.server";
import { formatDuration } from "~/components/dashboard-parts";
import type { Translate } from "~/i18n/translate";
import type { DateFormat } from "~/i18n/dates";
import { recordAudit } from "~/modules/audit/audit.server";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "system:read:any");
  const status = await readSystemStatus(context.services);
  const dead = await listDeadEvents(context.services.db);
  return { status, dead: dead.map((e) => ({ ...e, id: String(e.id) })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "system:read:any");
  const id = String((await request.formData()).get("id") ?? "");
  if (!/^\d+$/.test(id)) throw new Response("Unknown event.", { status: 400 });
  const now = context.services.clock.now();
  const retried = await retryDeadEvent(context.services.db, BigInt(id), now);
  if (retried) {
    await recordAudit(context.services.db, { actorId: user.id, action: "outbox.event_retried", subject: { type: "outbox_event", id }, ip: context.ip, at: now });
    context.services.outbox.kick();
  }
  return { retried };
}

export default function SystemPage() {
  const t = useT();
  const dates = useDates();
  const { status, dead } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { outbox } = status;
  return (
    <div className="stack">
      <h1>{t("system.title")}</h1>
      <p className="muted">{t("system.intro", { time: dates.format(status.checkedAt, "precise") })}</p>
      <ServicesCard status={status} t={t} dates={dates} />
      <section className="card" aria-labelledby="outbox-title">
        <h2 id="outbox-title">{t("system.outbox")}</h2>
        <dl className="stats">
          <div>
            <dt>{t("system.pending")}</dt>
            <dd>{outbox.waiting}</dd>
          </div>
          <div>
            <dt>{t("system.scheduled")}</dt>
            <dd>{outbox.scheduled}</dd>
          </div>
          <div>
            <dt>{t("system.dead")}</dt>
            <dd>{outbox.dead}</dd>
          </div>
        </dl>
        <p>
          {outbox.oldestDueAt && outbox.oldestAgeMs !== null ? (
            <>
              <strong>{t("system.oldest")}:</strong>{" "}
              {t("system.oldestValue", { duration: formatDuration(t, seconds(outbox.oldestAgeMs)), time: dates.format(outbox.oldestDueAt, "precise") })}
            </>
          ) : (
            t("system.nothingWaiting")
          )}
        </p>
      </section>
      <ProcessCard info={status.process} t={t} dates={dates} />
      <section className="card" aria-labelledby="dead-title">
        <h2 id="dead-title">{t("system.deadTitle")}</h2>
        {actionData?.retried ? (
          <p role="status" className="notice notice--success">
            {t("system.retried")}
          </p>
        ) : null}
        {dead.length === 0 ? (
          <p>{t("system.noDead")}</p>
        ) : (
          <DataTable className={null} heads={["#", t("system.type"), t("system.attempts"), t("system.error"), t("system.created"), { label: t("system.retry"), hidden: true }]}>
            {dead.map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td>{e.type}</td>
                <td>{e.attempts}</td>
                <td className="break">{e.lastError}</td>
                <td>{dates.dateTime(e.createdAt)}</td>
                <td>
                  <PostButton fields={{ id: e.id }} label={t("system.retry")} ariaLabel={t("system.retryNamed", { id: e.id })} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}

const seconds = (ms: number) => Math.round(ms / 1000);
/** Milliseconds to one decimal, in the reader's digits (the translator formats numbers). */
const ms = (value: number) => Math.round(value * 10) / 10;

function Reachable({ probe, t }: { probe: Pick<SystemStatus["database"], "reachable" | "latencyMs" | "timeoutMs">; t: Translate }) {
  return probe.reachable ? (
    <span className="status-badge status-badge--done">{t("system.answersIn", { ms: ms(probe.latencyMs ?? 0) })}</span>
  ) : (
    <span className="status-badge status-badge--down">{t("system.noAnswer", { seconds: probe.timeoutMs / 1000 })}</span>
  );
}

function ServicesCard({ status, t, dates }: { status: SystemStatus; t: Translate; dates: DateFormat }) {
  const { mail } = status;
  // Single fetch keeps dates as dates.
  const lastOk = mail.lastOkAt?.getTime() ?? null;
  const lastFailed = mail.lastFailedAt?.getTime() ?? null;
  const mailState = lastFailed !== null && (lastOk === null || lastFailed > lastOk) ? "failing" : lastOk !== null ? "working" : "untried";
  return (
    <section className="card" aria-labelledby="services-title">
      <h2 id="services-title">{t("system.services")}</h2>
      <dl className="facts">
        <dt>{t("system.database")}</dt>
        <dd>
          {t(status.database.kind === "postgres" ? "system.database.postgres" : "system.database.pglite")} <Reachable probe={status.database} t={t} />
        </dd>
        <dt>{t("system.search")}</dt>
        <dd>
          {t(status.search.engine === "meilisearch" ? "system.search.meilisearch" : "system.search.postgres")} <Reachable probe={status.search} t={t} />
        </dd>
        <dt>{t("system.mail")}</dt>
        <dd>
          {mail.smtpConfigured ? (
            <>
              {t("system.mail.configured")}{" "}
              <span className={`status-badge ${mailState === "failing" ? "status-badge--down" : mailState === "working" ? "status-badge--done" : ""}`}>
                {t(`system.mail.${mailState}`)}
              </span>
              <dl className="facts facts--nested">
                <dt>{t("system.mail.lastOk")}</dt>
                <dd>{mail.lastOkAt ? dates.format(mail.lastOkAt, "precise") : t("system.mail.never")}</dd>
                <dt>{t("system.mail.lastFailed")}</dt>
                <dd className="break">{mail.lastFailedAt ? `${dates.format(mail.lastFailedAt, "precise")}: ${mail.lastError ?? ""}` : t("system.mail.never")}</dd>
              </dl>
            </>
          ) : (
            t("system.mail.kept")
          )}
        </dd>
      </dl>
    </section>
  );
}

function ProcessCard({ info, t, dates }: { info: SystemStatus["process"]; t: Translate; dates: DateFormat }) {
  const delay = info.eventLoopDelay;
  return (
    <section className="card" aria-labelledby="process-title">
      <h2 id="process-title">{t("system.process")}</h2>
      <dl className="facts">
        <dt>{t("system.version")}</dt>
        <dd>{info.version}</dd>
        <dt>{t("system.lastRestart")}</dt>
        <dd>{t("system.lastRestartValue", { time: dates.format(info.startedAt, "precise"), duration: formatDuration(t, seconds(info.uptimeMs)) })}</dd>
        <dt>{t("system.eventLoop")}</dt>
        <dd>
          {t("system.eventLoopValue", { p50: ms(delay.p50Ms), p99: ms(delay.p99Ms), max: ms(delay.maxMs) })}{" "}
          <span className="muted">{t("system.eventLoopWindow", { duration: formatDuration(t, seconds(delay.windowMs)) })}</span>
        </dd>
      </dl>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
