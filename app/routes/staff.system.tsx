import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listDeadEvents, outboxStats, retryDeadEvent } from "~/modules/outbox/outbox.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "system:read:any");
  const [stats, dead] = await Promise.all([outboxStats(context.services.db), listDeadEvents(context.services.db)]);
  return { stats, dead: dead.map((e) => ({ ...e, id: String(e.id) })) };
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
  const { stats, dead } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="stack">
      <h1>{t("system.title")}</h1>
      <section className="card" aria-labelledby="outbox-title">
        <h2 id="outbox-title">{t("system.outbox")}</h2>
        <dl className="stats">
          <div>
            <dt>{t("system.pending")}</dt>
            <dd>{stats.pending ?? 0}</dd>
          </div>
          <div>
            <dt>{t("system.done")}</dt>
            <dd>{stats.done ?? 0}</dd>
          </div>
          <div>
            <dt>{t("system.dead")}</dt>
            <dd>{stats.dead ?? 0}</dd>
          </div>
        </dl>
      </section>
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
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t("system.type")}</th>
                  <th scope="col">{t("system.attempts")}</th>
                  <th scope="col">{t("system.error")}</th>
                  <th scope="col">{t("system.created")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("system.retry")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {dead.map((e) => (
                  <tr key={e.id}>
                    <td>{e.id}</td>
                    <td>{e.type}</td>
                    <td>{e.attempts}</td>
                    <td className="break">{e.lastError}</td>
                    <td>{dates.dateTime(e.createdAt)}</td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="id" value={e.id} />
                        <button type="submit" className="button" aria-label={t("system.retryNamed", { id: e.id })}>
                          {t("system.retry")}
                        </button>
                      </Form>
                    </td>
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
