import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ROLES } from "~/modules/policy/permissions";
import { changeRole, refusalCount, roleChangeMessage, teamList, type RoleChangeError } from "~/modules/members/roles.server";
import { requirePermission } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";
import type { Role } from "~/generated/prisma/enums";
import type { MessageKey } from "~/i18n/en";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () => [{ title: "Team · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "team:manage:any");
  return { team: await teamList(context.services, user), me: user.id };
}

type Intent = "change" | "add";
type Result =
  | { ok: true; intent: Intent; message: MessageKey; name: string; role: Role }
  /** userId: the row the error belongs to (intent "change"). */
  | { ok: false; intent: Intent | null; userId?: string; error: MessageKey; code?: RoleChangeError; count?: number };

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "team:manage:any");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent !== "change" && intent !== "add") return data<Result>({ ok: false, intent: null, error: "team.error.intent" }, { status: 400 });
  const role = String(form.get("role") ?? "");
  const userId = intent === "change" ? String(form.get("userId") ?? "") : undefined;
  const email = intent === "add" ? String(form.get("email") ?? "").trim() : undefined;
  if (intent === "add" && !email) return data<Result>({ ok: false, intent, error: "team.error.emailRequired" }, { status: 400 });
  const result = await changeRole(context.services, user, { userId, email, role }, { ip: context.ip });
  if (!result.ok) {
    // The page's rows keep their own words and one status (the team test pins both).
    const code = result.error as RoleChangeError;
    return data<Result>({ ok: false, intent, userId, error: roleChangeMessage(code, intent === "add"), code, ...(result.message ? { count: refusalCount(result) } : {}) }, { status: 400 });
  }
  return data<Result>({ ok: true, intent, message: result.changed ? "team.saved" : "team.unchanged", name: result.user.displayName, role: result.to });
}

/** A refusal next to its control; the ones about someone's members point to where that is fixed. */
function RoleError({ id, result }: { id: string; result: Extract<Result, { ok: false }> }) {
  const t = useT();
  return (
    <p id={id} className="field__errors" role="alert">
      {t(result.error, { count: result.count ?? 0 })}{" "}
      {result.code === "managesMembers" || result.code === "isBackup" ? <Link to="/staff/assignments">{t("team.assignmentsLink")}</Link> : null}
    </p>
  );
}

function RoleOptions() {
  const t = useT();
  return ROLES.map((role) => (
    <option key={role} value={role}>
      {t(`role.${role}`)}
    </option>
  ));
}

export default function Team() {
  const t = useT();
  const { team, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : null;
  const rowError = (id: string) => (failed?.intent === "change" && failed.userId === id ? failed : null);
  const addError = failed?.intent === "add" ? failed : null;
  const addErrorOn = addError?.code === "invalidRole" ? "role" : "email";
  return (
    <div className="stack">
      <h1>{t("team.title")}</h1>
      <p className="muted">{t("team.intro")}</p>
      {result?.ok ? (
        <p role="status" className="notice notice--success">
          {t(result.message, { name: result.name, role: t(`role.${result.role}`) })}
        </p>
      ) : (
        <FormError message={failed?.intent === null ? t(failed.error) : null} />
      )}
      <ul className="muted small">
        <li>{t("team.roles.moderator")}</li>
        <li>{t("team.roles.staff")}</li>
        <li>{t("team.roles.admin")}</li>
      </ul>

      <section className="card" aria-labelledby="team-list-title">
        <h2 id="team-list-title">{t("team.listTitle")}</h2>
        <DataTable className={null} heads={[t("team.name"), t("team.email"), t("team.role"), t("team.members"), t("team.change")]}>
          {team.map((person) => {
            const error = rowError(person.id);
            const errorId = `role-${person.id}-error`;
            return (
              <tr key={person.id}>
                <th scope="row">
                  {person.displayName} <span className="muted small">@{person.username}</span>
                  {person.id === me ? <span className="muted small"> ({t("team.you")})</span> : null}
                </th>
                <td>{person.email}</td>
                <td>{t(`role.${person.role}`)}</td>
                <td>{person.members}</td>
                <td>
                  {person.id === me ? (
                    <span className="muted small">{t("team.selfHint")}</span>
                  ) : (
                    // Keyed by the role, so the select shows the new one after a change.
                    <Form method="post" className="actions" key={`${person.id}-${person.role}`}>
                      <input type="hidden" name="intent" value="change" />
                      <input type="hidden" name="userId" value={person.id} />
                      <label htmlFor={`role-${person.id}`} className="visually-hidden">
                        {t("team.roleFor", { name: person.displayName })}
                      </label>
                      <select
                        id={`role-${person.id}`}
                        name="role"
                        defaultValue={person.role}
                        {...(error ? { "aria-invalid": true, "aria-describedby": errorId } : {})}
                      >
                        <RoleOptions />
                      </select>
                      <button type="submit" className="button">
                        {t("team.save")}
                      </button>
                      {error ? <RoleError id={errorId} result={error} /> : null}
                    </Form>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </section>

      <section className="card" aria-labelledby="team-add-title">
        <h2 id="team-add-title">{t("team.add.title")}</h2>
        <p className="muted small">{t("team.add.intro")}</p>
        {/* A fresh form after each success; after a refusal the typed address stays. */}
        <Form method="post" key={result?.ok && result.intent === "add" ? `added-${result.name}-${result.role}` : "add"}>
          <input type="hidden" name="intent" value="add" />
          <div className="field">
            <label htmlFor="team-add-email">{t("team.add.email")}</label>
            <input
              id="team-add-email"
              name="email"
              type="email"
              required
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              {...(addError && addErrorOn === "email" ? { "aria-invalid": true, "aria-describedby": "team-add-email-error" } : {})}
            />
            {addError && addErrorOn === "email" ? <RoleError id="team-add-email-error" result={addError} /> : null}
          </div>
          <div className="field">
            <label htmlFor="team-add-role">{t("team.add.role")}</label>
            <select id="team-add-role" name="role" defaultValue="moderator" {...(addError && addErrorOn === "role" ? { "aria-invalid": true, "aria-describedby": "team-add-role-error" } : {})}>
              <RoleOptions />
            </select>
            {addError && addErrorOn === "role" ? <RoleError id="team-add-role-error" result={addError} /> : null}
          </div>
          <button type="submit" className="button button--primary">
            {t("team.add.submit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
