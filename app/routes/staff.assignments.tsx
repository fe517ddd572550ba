import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { DataTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { setCoverage } from "~/modules/presence/coverage.server";
import { statusOf } from "~/modules/commands/failure";
import { assignMembers, membersToAssign, staffCapacity } from "~/modules/members/assignments.server";
import { requirePermission } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () => [{ title: "Assignments · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "member:assign:any");
  const url = new URL(request.url);
  const [capacity, list] = await Promise.all([
    staffCapacity(context.services, user),
    membersToAssign(context.services, user, {
      q: url.searchParams.get("q") ?? undefined,
      manager: url.searchParams.get("manager") ?? undefined,
      page: Number(url.searchParams.get("page")) || 1,
    }),
  ]);
  return { ...capacity, ...list };
}

type Result = { ok: boolean; message: MessageKey; count?: number };

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "member:assign:any");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "coverage") {
    const result = await setCoverage(context.services, user, { managerId: form.get("managerId"), backup: form.get("backup") }, { ip: context.ip });
    if (!result.ok) return data<Result>({ ok: false, message: result.error === "self" ? "assign.error.self" : "assign.error.notStaff" }, { status: statusOf(result) === 403 ? 403 : 400 });
    return data<Result>({ ok: true, message: "assign.coverageSaved" });
  }
  if (intent === "assign") {
    const memberIds = form.getAll("memberId").map(String).filter(Boolean);
    const target = String(form.get("managerId") ?? "");
    if (!memberIds.length) return data<Result>({ ok: false, message: "assign.error.noneSelected" }, { status: 400 });
    if (!target) return data<Result>({ ok: false, message: "assign.error.noManager" }, { status: 400 });
    const result = await assignMembers(context.services, user, memberIds, target === "none" ? null : target);
    if (!result.ok) return data<Result>({ ok: false, message: "assign.error.notStaff", count: "changed" in result ? result.changed : 0 }, { status: 400 });
    return data<Result>({ ok: true, message: "assign.saved", count: result.changed });
  }
  return data<Result>({ ok: false, message: "assign.error.unknown" }, { status: 400 });
}

export default function Assignments() {
  const t = useT();
  const { staff, unassigned, members, total, page, pages } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const nameOf = new Map(staff.map((s) => [s.id, s.displayName]));
  const pageLink = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    return `?${next}`;
  };
  return (
    <div className="stack">
      <h1>{t("assign.title")}</h1>
      {result?.ok ? (
        <p role="status" className="notice notice--success">
          {t(result.message, { count: result.count ?? 0 })}
        </p>
      ) : (
        <FormError message={result ? t(result.message, { count: result.count ?? 0 }) : null} />
      )}
      <section className="card" aria-labelledby="capacity-title">
        <h2 id="capacity-title">{t("assign.capacity")}</h2>
        <p className="muted small">{t("assign.capacityHint", { count: unassigned })}</p>
        <DataTable className={null} heads={[t("assign.staff"), t("assign.members"), t("assign.waiting"), t("assign.presence"), t("assign.coverage")]}>
          {staff.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.displayName}</th>
              <td>
                <meter min={0} max={Math.max(...staff.map((x) => x.members), 1)} value={s.members} aria-hidden="true" /> {s.members}
              </td>
              <td>{s.waiting}</td>
              <td>
                <span className={`presence presence--${s.presence}`}>{t(s.presence === "online" ? "chat.online" : s.presence === "away" ? "chat.away" : "chat.offline")}</span>
              </td>
              <td>
                <Form method="post" className="actions">
                  <input type="hidden" name="intent" value="coverage" />
                  <input type="hidden" name="managerId" value={s.id} />
                  <label htmlFor={`cover-${s.id}`} className="visually-hidden">
                    {t("assign.coverageFor", { name: s.displayName })}
                  </label>
                  <select id={`cover-${s.id}`} name="backup" defaultValue={s.coverage ? (s.coverage.kind === "any" ? "any" : s.coverage.id) : "none"}>
                    <option value="none">{t("assign.coverNone")}</option>
                    <option value="any">{t("assign.coverAny")}</option>
                    {staff
                      .filter((o) => o.id !== s.id)
                      .map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.displayName}
                        </option>
                      ))}
                  </select>
                  <button type="submit" className="button">
                    {t("assign.saveCoverage")}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section className="card stack" aria-labelledby="members-title">
        <h2 id="members-title">{t("assign.reassign")}</h2>
        <Form method="get" className="toolbar" role="search" aria-label={t("assign.filter")}>
          <label htmlFor="assign-q" className="visually-hidden">
            {t("assign.search")}
          </label>
          <input id="assign-q" name="q" type="search" defaultValue={params.get("q") ?? ""} placeholder={t("assign.search")} />
          <label htmlFor="assign-manager" className="visually-hidden">
            {t("assign.byManager")}
          </label>
          <select id="assign-manager" name="manager" defaultValue={params.get("manager") ?? ""}>
            <option value="">{t("assign.anyManager")}</option>
            <option value="none">{t("assign.unassigned")}</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.displayName}
              </option>
            ))}
          </select>
          <button type="submit" className="button">
            {t("assign.apply")}
          </button>
        </Form>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="assign" />
          <p className="muted small">{t("assign.total", { count: total })}</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{t("assign.select")}</span>
                  </th>
                  <th scope="col">{t("staff.name")}</th>
                  <th scope="col">{t("staff.email")}</th>
                  <th scope="col">{t("assign.company")}</th>
                  <th scope="col">{t("staff.manager")}</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <input type="checkbox" name="memberId" value={m.id} id={`pick-${m.id}`} aria-label={t("assign.pick", { name: m.displayName })} />
                    </td>
                    <td>
                      <Link to={`/staff/members/${m.id}`}>{m.displayName}</Link>
                    </td>
                    <td>{m.email}</td>
                    <td>{m.company ?? "—"}</td>
                    <td>{m.accountManagerId ? (nameOf.get(m.accountManagerId) ?? "—") : t("assign.unassigned")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <label htmlFor="assign-target">{t("assign.moveTo")}</label>
            <select id="assign-target" name="managerId" required defaultValue="">
              <option value="" disabled>
                {t("assign.choose")}
              </option>
              {staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.displayName} ({s.members})
                </option>
              ))}
              <option value="none">{t("assign.unassigned")}</option>
            </select>
            <button type="submit" className="button button--primary">
              {t("assign.submit")}
            </button>
          </div>
        </Form>
        {pages > 1 ? (
          <nav aria-label={t("assign.pages")} className="actions">
            {page > 1 ? <Link to={pageLink(page - 1)}>{t("assign.previous")}</Link> : null}
            <span>{t("assign.pageOf", { page, pages })}</span>
            {page < pages ? <Link to={pageLink(page + 1)}>{t("assign.next")}</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
