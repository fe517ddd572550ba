import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listPreferences, preferenceHistory, removePreference, setPreference } from "~/modules/members/profile.server";
import { PREFERENCE_CATALOGUE, PREFERENCE_KEYS, type PreferenceKey } from "~/modules/members/preference-catalogue";
import { requireUser } from "~/utils/auth.server";
import { formatDate, useLocale, useT } from "~/utils/i18n";
import { isMessageKey, type Translate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/en";

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
  const actor = { id: user.id, role: user.role };
  const form = await request.formData();
  const key = String(form.get("key") ?? "");
  if (form.get("intent") === "delete") {
    const result = await removePreference(context.services, actor, user.id, key);
    if (!result.ok) return data({ ok: false as const, key, errors: { key: ["pref.unknownKey"] } as Record<string, string[]> }, { status: 400 });
    return { ok: true as const, key, deleted: true };
  }
  const result = await setPreference(context.services, actor, user.id, { key, value: String(form.get("value") ?? "") });
  if (!result.ok) return data({ ok: false as const, key, errors: result.fieldErrors }, { status: 400 });
  return { ok: true as const, key, deleted: false };
}

function valueLabel(t: Translate, key: string, value: string) {
  const k = `pref.${key}.${value}`;
  return isMessageKey(k) ? t(k) : value;
}

function PreferenceInput({ prefKey, value, id, t, invalid }: { prefKey: PreferenceKey; value?: string; id: string; t: Translate; invalid?: boolean }) {
  const spec = PREFERENCE_CATALOGUE[prefKey];
  if (spec.type === "choice") {
    return (
      <select id={id} name="value" defaultValue={value} aria-invalid={invalid || undefined} aria-describedby={invalid ? `${id}-error` : undefined}>
        {spec.choices.map((c) => (
          <option key={c} value={c}>
            {valueLabel(t, prefKey, c)}
          </option>
        ))}
      </select>
    );
  }
  return spec.max > 100 ? (
    <textarea id={id} name="value" defaultValue={value} maxLength={spec.max} rows={2} aria-invalid={invalid || undefined} aria-describedby={invalid ? `${id}-error` : undefined} />
  ) : (
    <input id={id} name="value" defaultValue={value} maxLength={spec.max} aria-invalid={invalid || undefined} aria-describedby={invalid ? `${id}-error` : undefined} />
  );
}

export default function RememberPage() {
  const t = useT();
  const locale = useLocale();
  const { preferences, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const unused = PREFERENCE_KEYS.filter((k) => !preferences.some((p) => p.key === k));
  const errorFor = (key: string) => (actionData && !actionData.ok && actionData.key === key ? actionData.errors : null);
  return (
    <div className="stack">
      <h1 id="remember">{t("remember.title")}</h1>
      <p className="muted">{t("remember.intro")}</p>
      {actionData?.ok ? (
        <p role="status" className="notice notice--success">
          {actionData.deleted ? t("remember.deleted") : t("remember.saved")}
        </p>
      ) : null}
      {preferences.length === 0 ? <p>{t("remember.empty")}</p> : null}
      <ul className="prefs">
        {preferences.map((p) => {
          const name = isMessageKey(`pref.${p.key}`) ? t(`pref.${p.key}` as MessageKey) : p.key;
          const errors = errorFor(p.key);
          const inputId = `pref-${p.key}`;
          return (
            <li key={p.id} className="card pref">
              <Form method="post" className="pref__form">
                <input type="hidden" name="key" value={p.key} />
                <div className="field">
                  <label htmlFor={inputId}>{name}</label>
                  <PreferenceInput prefKey={p.key as PreferenceKey} value={p.value} id={inputId} t={t} invalid={!!errors} />
                  {errors ? (
                    <ul id={`${inputId}-error`} className="field__errors" role="alert">
                      {Object.values(errors).flat().map((e) => (
                        <li key={e}>{isMessageKey(e) ? t(e) : e}</li>
                      ))}
                    </ul>
                  ) : null}
                  <p className="field__hint">
                    <span className={`badge badge--${p.source}`}>{t(`remember.source.${p.source}`)}</span>{" "}
                    {t("remember.updated", { date: formatDate(locale, p.updatedAt, { dateStyle: "medium", timeStyle: "short" }) })}
                  </p>
                </div>
                <div className="actions">
                  <button type="submit" name="intent" value="save" className="button button--primary" aria-label={t("remember.editNamed", { name })}>
                    {t("remember.save")}
                  </button>
                  <button type="submit" name="intent" value="delete" className="button" aria-label={t("remember.deleteNamed", { name })} formNoValidate>
                    {t("remember.delete")}
                  </button>
                </div>
              </Form>
            </li>
          );
        })}
      </ul>
      {unused.length ? (
        <section className="card" aria-labelledby="add-pref-title">
          <h2 id="add-pref-title">{t("remember.add")}</h2>
          <AddPreference keys={unused} t={t} errors={errorFor("__new") ?? (actionData && !actionData.ok && unused.includes(actionData.key as PreferenceKey) ? actionData.errors : null)} />
        </section>
      ) : null}
      {history.length ? (
        <details className="card">
          <summary>{t("remember.history")}</summary>
          <ul className="history">
            {history.map((h) => (
              <li key={h.id}>
                <time dateTime={new Date(h.changedAt).toISOString()}>{formatDate(locale, h.changedAt, { dateStyle: "short", timeStyle: "short" })}</time>{" "}
                {isMessageKey(`pref.${h.key}`) ? t(`pref.${h.key}` as MessageKey) : h.key} {t(`remember.action.${h.action as "set" | "changed" | "removed"}`)}
                {h.newValue ? `: ${valueLabel(t, h.key, h.newValue)}` : ""} · {t(`remember.source.${h.source}`)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function AddPreference({ keys, t, errors }: { keys: PreferenceKey[]; t: Translate; errors: Record<string, string[]> | null }) {
  // The value input follows the chosen key; the server validates the pair either way.
  const [chosen, setChosen] = useState<PreferenceKey>(keys[0]!);
  return (
    <Form method="post" className="stack" key={keys.join()}>
      <div className="field">
        <label htmlFor="new-pref-key">{t("remember.key")}</label>
        <select id="new-pref-key" name="key" value={chosen} onChange={(e) => setChosen(e.currentTarget.value as PreferenceKey)}>
          {keys.map((k) => (
            <option key={k} value={k}>
              {t(`pref.${k}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="new-pref-value">{t("remember.value")}</label>
        <PreferenceInput key={chosen} prefKey={chosen} id="new-pref-value" t={t} invalid={!!errors} />
        {errors ? (
          <ul id="new-pref-value-error" className="field__errors" role="alert">
            {Object.values(errors).flat().map((e) => (
              <li key={e}>{isMessageKey(e) ? t(e) : e}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <button type="submit" name="intent" value="save" className="button button--primary">
        {t("remember.add")}
      </button>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
