/**
 * The announcement composer's fields: the text in Vietnamese and English (tabs once the page is
 * live; both shown before), topic, channels and segment. Used by /staff/announcements/new and
 * /staff/announcements/$id; the page posts it with intent "save".
 */
import { useState } from "react";
import { useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/en";
import { ANNOUNCEMENT_CHANNELS, ANNOUNCEMENT_LIMITS, ANNOUNCEMENT_TOPICS, ANNOUNCEMENT_VARIABLES } from "~/modules/announcements/schema";
import { FieldErrors } from "./field";
import { MarkdownEditor } from "./markdown-editor";
import { useHydrated } from "./use-hydrated";

export type AnnouncementValues = { titleVi: string; titleEn: string; bodyVi: string; bodyEn: string; topic: string; channels: string[]; segmentId: string };
type Errors = Record<string, string[] | undefined>;

export function AnnouncementFields({ values, errors, segments, readOnly }: { values: AnnouncementValues; errors: Errors; segments: { id: string; name: string }[]; readOnly?: boolean }) {
  const t = useT();
  const hydrated = useHydrated();
  const [lang, setLang] = useState<"vi" | "en">("vi");
  const err = (field: string) => (errors[field]?.length ? errors[field] : undefined);
  const tr = (e: string) => translateError(t, e);
  const vars = ANNOUNCEMENT_VARIABLES.map((v) => `{{${v}}}`).join(", ");
  return (
    <fieldset className="stack" disabled={readOnly}>
      <legend className="visually-hidden">{t("announcement.editTitle")}</legend>
      <div className="stack">
        <h2 id="ann-langs">{t("announcement.languages")}</h2>
        <p className="muted small">{t("announcement.languagesHint")}</p>
        {hydrated ? (
          <div role="tablist" aria-labelledby="ann-langs" className="tabs">
            {(["vi", "en"] as const).map((l) => (
              <button
                key={l}
                type="button"
                role="tab"
                id={`ann-tab-${l}`}
                aria-selected={lang === l}
                aria-controls={`ann-panel-${l}`}
                className={lang === l ? "button button--primary" : "button"}
                onClick={() => setLang(l)}
              >
                {t(`announcement.lang.${l}`)}
                {err(`title${l === "vi" ? "Vi" : "En"}`) || err(`body${l === "vi" ? "Vi" : "En"}`) ? " ⚠" : ""}
              </button>
            ))}
          </div>
        ) : null}
        {(["vi", "en"] as const).map((l) => {
          const suffix = l === "vi" ? "Vi" : "En";
          return (
            <div
              key={l}
              id={`ann-panel-${l}`}
              className="stack"
              {...(hydrated ? { role: "tabpanel", "aria-labelledby": `ann-tab-${l}`, hidden: lang !== l } : {})}
              lang={l}
            >
              {!hydrated ? <h3>{t(`announcement.lang.${l}`)}</h3> : null}
              <div className="field">
                <label htmlFor={`title${suffix}`}>{t("announcement.field.title")}</label>
                <input
                  id={`title${suffix}`}
                  name={`title${suffix}`}
                  defaultValue={values[`title${suffix}`]}
                  maxLength={ANNOUNCEMENT_LIMITS.titleMax}
                  aria-invalid={err(`title${suffix}`) ? true : undefined}
                  aria-describedby={err(`title${suffix}`) ? `title${suffix}-error` : undefined}
                />
                <FieldErrors id={`title${suffix}-error`} errors={err(`title${suffix}`)} translate={tr} />
              </div>
              <MarkdownEditor id={`body${suffix}`} name={`body${suffix}`} label={t("announcement.field.body")} defaultValue={values[`body${suffix}`]} errors={err(`body${suffix}`)} rows={10} />
              <p className="muted small">{t("announcement.field.bodyHint", { vars })}</p>
            </div>
          );
        })}
      </div>
      <div className="field">
        <label htmlFor="topic">{t("announcement.field.topic")}</label>
        <select id="topic" name="topic" defaultValue={values.topic} aria-describedby="topic-hint">
          {ANNOUNCEMENT_TOPICS.map((topic) => (
            <option key={topic} value={topic}>
              {t(`consent.${topic}` as MessageKey)}
            </option>
          ))}
        </select>
        <p id="topic-hint" className="field__hint">
          {t("announcement.field.topicHint")}
        </p>
        <FieldErrors errors={err("topic")} translate={tr} />
      </div>
      <fieldset className="checks">
        <legend>{t("announcement.field.channels")}</legend>
        {ANNOUNCEMENT_CHANNELS.map((channel) => (
          <label key={channel} className="check">
            <input type="checkbox" name="channels" value={channel} defaultChecked={values.channels.includes(channel)} /> {t(`announcement.channel.${channel}`)}
          </label>
        ))}
        <FieldErrors errors={err("channels")} translate={tr} />
      </fieldset>
      <div className="field">
        <label htmlFor="segmentId">{t("announcement.field.segment")}</label>
        <select id="segmentId" name="segmentId" defaultValue={values.segmentId}>
          <option value="">{t("announcement.field.segmentChoose")}</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <FieldErrors errors={err("segmentId")} translate={tr} />
      </div>
    </fieldset>
  );
}

/** What the form posted, to show it again with its errors. */
export function postedValues(form: FormData): AnnouncementValues {
  const text = (name: string) => String(form.get(name) ?? "");
  return { titleVi: text("titleVi"), titleEn: text("titleEn"), bodyVi: text("bodyVi"), bodyEn: text("bodyEn"), topic: text("topic"), channels: form.getAll("channels").map(String), segmentId: text("segmentId") };
}

export const EMPTY_ANNOUNCEMENT: AnnouncementValues = { titleVi: "", titleEn: "", bodyVi: "", bodyEn: "", topic: "newsletter", channels: ["in_app", "email"], segmentId: "" };
