import { Form } from "@remix-run/react";
import { FieldErrors } from "~/components/field";
import { WEEKDAYS, timeOf, weekdayRuns, type ContactWindow } from "~/modules/members/contact-hours";
import { translateError, type Translate } from "~/i18n/translate";
import { useT } from "~/utils/i18n";

/** "Mon–Fri, 08:00–20:00 (Asia/Ho_Chi_Minh)", or "Any time". */
export function contactHoursText(t: Translate, window: ContactWindow | null, zone: string) {
  if (!window) return t("contactHours.none");
  const day = (d: number) => t(`contactHours.dayShort.${d as 1 | 2 | 3 | 4 | 5 | 6 | 7}`);
  const days = weekdayRuns(window.weekdays)
    .map(([first, last]) => (first === last ? day(first) : `${day(first)}–${day(last)}`))
    .join(", ");
  return t("contactHours.summary", { days, from: timeOf(window.fromMinute), to: timeOf(window.toMinute), zone });
}

type Values = { mode: "any" | "window"; weekdays: number[]; from: string; to: string };

/**
 * The member's own form: "any time" or weekdays and a window. The day and time fields stay
 * visible either way (no script needed); with "any time" they are not used.
 */
export function ContactHoursForm({
  values,
  zone,
  errors,
  saved,
}: {
  values: Values;
  zone: string;
  errors?: Record<string, string[] | undefined>;
  saved: boolean;
}) {
  const t = useT();
  const translate = (e: string) => translateError(t, e);
  const invalid = (name: string) => (errors?.[name]?.length ? { "aria-invalid": true as const } : {});
  return (
    <section className="card" aria-labelledby="email-hours-title" id="email-hours">
      <h2 id="email-hours-title">{t("contactHours.title")}</h2>
      <p className="muted">{t("contactHours.intro", { zone })}</p>
      {saved ? (
        <p role="status" className="notice notice--success">
          {t("contactHours.saved")}
        </p>
      ) : null}
      {/* Keyed by what was submitted, so defaults follow a refused or saved form. */}
      <Form method="post" key={JSON.stringify(values)} noValidate>
        <fieldset className="checks">
          <legend>{t("contactHours.mode")}</legend>
          {(["any", "window"] as const).map((mode) => (
            <div key={mode} className="check">
              <input type="radio" id={`email-hours-mode-${mode}`} name="mode" value={mode} defaultChecked={values.mode === mode} />
              <label htmlFor={`email-hours-mode-${mode}`}>{mode === "any" ? t("contactHours.anyTime") : t("contactHours.onlyWindow")}</label>
            </div>
          ))}
        </fieldset>
        <fieldset className="checks contact-days" aria-describedby={errors?.weekdays?.length ? "email-hours-weekdays-error" : undefined}>
          <legend>{t("contactHours.days")}</legend>
          {WEEKDAYS.map((d) => (
            <div key={d} className="check">
              <input type="checkbox" id={`email-hours-day-${d}`} name="weekdays" value={d} defaultChecked={values.weekdays.includes(d)} {...invalid("weekdays")} />
              <label htmlFor={`email-hours-day-${d}`}>{t(`contactHours.day.${d}`)}</label>
            </div>
          ))}
          <FieldErrors id="email-hours-weekdays-error" errors={errors?.weekdays} translate={translate} />
        </fieldset>
        <div className="contact-times">
          {(["from", "to"] as const).map((name) => (
            <div key={name} className="field">
              <label htmlFor={`email-hours-${name}`}>{t(`contactHours.${name}`)}</label>
              <input
                type="time"
                id={`email-hours-${name}`}
                name={name}
                defaultValue={values[name]}
                aria-describedby={errors?.[name]?.length ? `email-hours-${name}-error` : undefined}
                {...invalid(name)}
              />
              <FieldErrors id={`email-hours-${name}-error`} errors={errors?.[name]} translate={translate} />
            </div>
          ))}
        </div>
        <button type="submit" name="intent" value="contact-hours" className="button button--primary">
          {t("contactHours.save")}
        </button>
      </Form>
    </section>
  );
}
