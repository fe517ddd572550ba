import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listPreferences, preferenceHistory } from "~/modules/members/preferences.server";
import { handlePreferenceForm } from "~/utils/preference-form.server";
import { PreferencesEditor, preferenceName, valueLabel } from "~/components/preferences-editor";
import { requireUser } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const [preferences, history] = await Promise.all([
    listPreferences(context.services.db, user.id),
    preferenceHistory(context.services.db, user.id, 30),
  ]);
  return { preferences, history };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  return handlePreferenceForm(context.services, { id: user.id, role: user.role }, user.id, await request.formData());
}

export default function RememberPage() {
  const t = useT();
  const dates = useDates();
  const { preferences, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="stack">
      <h1 id="remember">{t("remember.title")}</h1>
      <p className="muted">{t("remember.intro")}</p>
      <PreferencesEditor
        preferences={preferences}
        actionData={actionData}
        t={t}
        sourceLabels={{ member: t("remember.source.member"), staff: t("remember.source.staff") }}
      />
      {history.length ? (
        <details className="card">
          <summary>{t("remember.history")}</summary>
          <ul className="history">
            {history.map((h) => (
              <li key={h.id}>
                <time dateTime={new Date(h.changedAt).toISOString()}>{dates.dateTime(h.changedAt)}</time>{" "}
                {preferenceName(t, h.key)} {t(`remember.action.${h.action as "set" | "changed" | "removed"}`)}
                {h.newValue ? `: ${valueLabel(t, h.key, h.newValue)}` : ""} · {t(`remember.source.${h.source}`)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
