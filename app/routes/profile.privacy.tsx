import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { consentHistory, getConsents, setConsents } from "~/modules/members/consent.server";
import { type ConsentChannel } from "~/modules/members/profile-schema";
import { deleteOwnAccount } from "~/modules/members/my-data.server";
import { getNotificationSettings, setNotificationChannel } from "~/modules/notifications/notifications.server";
import { NOTIFICATION_CHANNELS, notificationKindsFor } from "~/modules/notifications/kinds";
import { requireUser } from "~/utils/auth.server";
import { refuse, refusalResponse } from "~/utils/refusal.server";
import { useDates, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { FormError } from "~/components/form-error";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const [consents, history, notificationSettings] = await Promise.all([
    getConsents(context.services.db, user.id),
    consentHistory(context.services.db, user.id),
    getNotificationSettings(context.services.db, user.id, user.role),
  ]);
  return { consents, history: history.slice(0, 20), notificationSettings };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const actor = { id: user.id, role: user.role };
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "consent") {
    const saved = await setConsents(context.services, actor, { ...Object.fromEntries(form), memberId: user.id }, { ip: context.ip });
    if (!saved.ok) throw refusalResponse(saved, context.locale);
    return { done: "consent" as const, error: null };
  }
  if (intent === "notifications") {
    for (const kind of notificationKindsFor(user.role)) {
      const saved = await setNotificationChannel(context.services, actor, { kind, channel: form.get(kind) ?? "" }, { ip: context.ip });
      if (!saved.ok) return refuse(saved, context.locale, { done: null, failed: "notifications" as const });
    }
    return { done: "notifications" as const, error: null };
  }
  if (intent === "delete-account") {
    const result = await deleteOwnAccount(context.services, actor, { password: form.get("password") ?? "" }, { ip: context.ip });
    if (!result.ok) return refuse(result, context.locale, { done: null, failed: "delete" as const }, { messages: "mydata.deleteRefused" });
    throw redirect("/goodbye", { headers: { "Set-Cookie": context.services.auth.createBlankSessionCookie().serialize() } });
  }
  throw new Response("Unknown action.", { status: 400 });
}

export default function PrivacyPage() {
  const t = useT();
  const dates = useDates();
  const { consents, history, notificationSettings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const refused = actionData && "formError" in actionData ? actionData : null;
  // A refused setting has field errors only (a form message would be null): say what the field says.
  const refusal = (form: "delete" | "notifications") => (refused?.failed !== form ? null : (refused.formError ?? t("validation.required")));
  const deleteError = refusal("delete");
  return (
    <div className="stack">
      <h1>{t("consent.title")}</h1>
      <section className="card" aria-labelledby="consent-title">
        <h2 id="consent-title">{t("consent.title")}</h2>
        <p className="muted">{t("consent.intro")}</p>
        {actionData?.done === "consent" ? (
          <p role="status" className="notice notice--success">
            {t("consent.saved")}
          </p>
        ) : null}
        <Form method="post">
          <fieldset className="checks">
            <legend className="visually-hidden">{t("consent.title")}</legend>
            {consents.map((c) => (
              <div key={c.channel} className="check">
                <input type="checkbox" id={`consent-${c.channel}`} name={c.channel} defaultChecked={c.granted} />
                <label htmlFor={`consent-${c.channel}`}>
                  {t(`consent.${c.channel}`)}
                  {c.recordedAt ? (
                    <span className="muted"> ({t("consent.since", { date: dates.date(c.recordedAt) })})</span>
                  ) : null}
                </label>
              </div>
            ))}
          </fieldset>
          <button type="submit" name="intent" value="consent" className="button button--primary">
            {t("consent.save")}
          </button>
        </Form>
        {history.length ? (
          <details>
            <summary>{t("consent.history")}</summary>
            <ul className="history">
              {history.map((h) => (
                <li key={h.id}>
                  <time dateTime={new Date(h.recordedAt).toISOString()}>
                    {dates.dateTime(h.recordedAt)}
                  </time>{" "}
                  {t(`consent.${h.channel as ConsentChannel}`)}: {h.granted ? t("consent.granted") : t("consent.withdrawn")}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section className="card" aria-labelledby="notif-title">
        <h2 id="notif-title">{t("notifications.settings")}</h2>
        <p className="muted">{t("notifications.settingsIntro")}</p>
        {actionData?.done === "notifications" ? (
          <p role="status" className="notice notice--success">
            {t("notifications.saved")}
          </p>
        ) : null}
        <FormError message={refusal("notifications")} />
        <Form method="post" className="stack">
          {notificationSettings.map((s) => (
            <div key={s.kind} className="field">
              <label htmlFor={`notif-${s.kind}`}>{t(`notifications.kind.${s.kind}` as MessageKey)}</label>
              <select id={`notif-${s.kind}`} name={s.kind} defaultValue={s.channel}>
                {NOTIFICATION_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`notifications.channel.${c}`)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <button type="submit" name="intent" value="notifications" className="button button--primary">
            {t("common.save")}
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="mydata-title">
        <h2 id="mydata-title">{t("mydata.title")}</h2>
        <p>{t("mydata.exportIntro")}</p>
        <p>
          <a href="/profile/export" className="button" download>
            {t("mydata.export")}
          </a>
        </p>
        <h3>{t("mydata.deleteTitle")}</h3>
        <p>{t("mydata.deleteIntro")}</p>
        <Form method="post" className="stack">
          <div className="field">
            <label htmlFor="delete-password">{t("mydata.deletePassword")}</label>
            <input
              id="delete-password"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              aria-invalid={deleteError ? true : undefined}
              aria-describedby={deleteError ? "delete-error" : undefined}
            />
            {deleteError ? (
              <div id="delete-error" className="field__errors" role="alert">
                <ul>
                <li>{deleteError}</li>
              </ul>
              </div>
            ) : null}
          </div>
          <button type="submit" name="intent" value="delete-account" className="button button--danger">
            {t("mydata.delete")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
