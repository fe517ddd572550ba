/**
 * "What we remember": the list of preferences with their source, each
 * editable and deletable, and a form to add one. Used on the member's own
 * profile and on the staff console's member page; the route's action saves.
 */
import { Form } from "@remix-run/react";
import { useState } from "react";
import { PREFERENCE_CATALOGUE, PREFERENCE_KEYS, type PreferenceKey } from "~/modules/members/preference-catalogue";
import { useDates } from "~/utils/i18n";
import { isMessageKey, type Translate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/en";

export interface PreferenceRow {
  id: string;
  key: string;
  value: string;
  source: "member" | "staff";
  updatedAt: string | Date;
}

export type PreferenceActionData =
  | { ok: true; key: string; deleted: boolean }
  | { ok: false; key: string; errors: Record<string, string[]> }
  | undefined;

export function preferenceName(t: Translate, key: string) {
  return isMessageKey(`pref.${key}`) ? t(`pref.${key}` as MessageKey) : key;
}

export function valueLabel(t: Translate, key: string, value: string) {
  const k = `pref.${key}.${value}`;
  return isMessageKey(k) ? t(k) : value;
}

export function PreferenceInput({ prefKey, value, id, t, invalid }: { prefKey: PreferenceKey; value?: string; id: string; t: Translate; invalid?: boolean }) {
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


export function PreferencesEditor({
  preferences,
  actionData,
  t,
  sourceLabels,
}: {
  preferences: PreferenceRow[];
  actionData: PreferenceActionData;
  t: Translate;
  sourceLabels: Record<"member" | "staff", string>;
}) {
  const dates = useDates();
  const unused = PREFERENCE_KEYS.filter((k) => !preferences.some((p) => p.key === k));
  const errorFor = (key: string) => (actionData && !actionData.ok && actionData.key === key ? actionData.errors : null);
  return (
    <>
      {actionData?.ok ? (
        <p role="status" className="notice notice--success">
          {actionData.deleted ? t("remember.deleted") : t("remember.saved")}
        </p>
      ) : null}
      {preferences.length === 0 ? <p>{t("remember.empty")}</p> : null}
      <ul className="prefs">
        {preferences.map((p) => {
          const name = preferenceName(t, p.key);
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
                    <div id={`${inputId}-error`} className="field__errors" role="alert">
                      <ul>
                      {Object.values(errors).flat().map((e) => (
                        <li key={e}>{isMessageKey(e) ? t(e) : e}</li>
                      ))}
                    </ul>
                    </div>
                  ) : null}
                  <p className="field__hint">
                    <span className={`badge badge--${p.source}`}>{sourceLabels[p.source]}</span>{" "}
                    {t("remember.updated", { date: dates.dateTime(p.updatedAt) })}
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
          <AddPreference keys={unused} t={t} errors={actionData && !actionData.ok && unused.includes(actionData.key as PreferenceKey) ? actionData.errors : null} />
        </section>
      ) : null}
    </>
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
          <div id="new-pref-value-error" className="field__errors" role="alert">
            <ul>
            {Object.values(errors).flat().map((e) => (
              <li key={e}>{isMessageKey(e) ? t(e) : e}</li>
            ))}
          </ul>
          </div>
        ) : null}
      </div>
      <button type="submit" name="intent" value="save" className="button button--primary">
        {t("remember.add")}
      </button>
    </Form>
  );
}

