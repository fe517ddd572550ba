/**
 * The segment builder, as HubSpot's list builder works: groups of condition rows, AND/OR between
 * the groups and inside each, a field picks its operator and value inputs, and a live count with a
 * sample of matching members beside it. React state is the definition; the form posts it as one
 * hidden JSON field, so the server validates exactly what the preview counted.
 */
import { Form, Link, useFetcher, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { STAGES } from "~/modules/console/engagement";
import { CONSENT_CHANNELS } from "~/modules/members/profile-schema";
import { PREFERENCE_CATALOGUE, PREFERENCE_KEYS } from "~/modules/members/preference-catalogue";
import { SEGMENT_ACTIVITIES, SEGMENT_FIELDS, SEGMENT_LIMITS, type SegmentDefinition, type SegmentField } from "~/modules/segments/definition";
import type { MessageKey } from "~/i18n/en";
import { translateError, type Translate } from "~/i18n/translate";
import { LOCALES } from "~/i18n/locales";
import { useLocale, useT } from "~/utils/i18n";
import { useHydrated } from "./use-hydrated";
import { FieldErrors, labelledFields } from "./field";

const PREVIEW = "/staff/segments/preview";

/** For the editor's routes: the live preview posts on every pause in typing, and the page's options need no reloading for it. */
export const segmentEditorShouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction === PREVIEW ? false : defaultShouldRevalidate;

export interface SegmentEditorOptions {
  managers: { id: string; displayName: string }[];
  products: { id: string; nameVi: string; nameEn: string }[];
  tags: string[];
}

/** What /staff/segments/preview answers: the count and a sample, or each problem at its place (message keys). */
export type SegmentPreview =
  | { ok: true; count: number; sample: { id: string; displayName: string; stage: (typeof STAGES)[number]; engagementScore: number; manager: string | null }[] }
  | { ok: false; issues: { path: string; message: string }[] };

type Match = "and" | "or";
/** A condition as the rows edit it: numbers stay text until posted, so an emptied box is "not given". */
type Draft = { field: SegmentField } & Record<string, unknown>;
interface Row {
  key: number;
  condition: Draft;
}
interface Group {
  key: number;
  match: Match;
  rows: Row[];
}
interface State {
  match: Match;
  groups: Group[];
}

const ACTIVITIES = Object.keys(SEGMENT_ACTIVITIES) as (keyof typeof SEGMENT_ACTIVITIES)[];
const OPERATORS: Partial<Record<SegmentField, string[]>> = {
  stage: ["in", "not_in"],
  manager: ["in", "not_in"],
  tag: ["any", "all", "none"],
  owns_product: ["any", "all", "none"],
  preference: ["is", "contains", "set", "unset"],
  member_since: ["before", "after"],
  last_activity: ["within", "not_within"],
  activity: ["has", "has_not"],
};

/** What a row starts as when its field is chosen. */
function blank(field: SegmentField): Draft {
  switch (field) {
    case "stage":
    case "manager":
      return { field, op: "in", values: [] };
    case "tag":
    case "owns_product":
      return { field, op: "any", values: [] };
    case "engagement_band":
    case "language":
      return { field, values: [] };
    case "engagement_score":
      return { field, min: "", max: "" };
    case "preference":
      return { field, key: PREFERENCE_KEYS[0], op: "is", value: "" };
    case "member_since":
      return { field, op: "before", date: "" };
    case "last_activity":
      return { field, op: "within", days: "30" };
    case "activity":
      return { field, activity: "reviewed", op: "has", days: "" };
    case "review_rating":
      return { field, min: "4", max: "5" };
    case "consent":
      return { field, channel: "newsletter", granted: true };
  }
}

/** The definition to post: empty boxes left out (an optional bound, "ever"), numbers as numbers. */
function toDefinition(state: State): SegmentDefinition {
  const clean = (c: Draft) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c)) {
      if (v === "" || v === undefined) continue;
      out[k] = ["min", "max", "days"].includes(k) && typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
    }
    // The operator only asks for a value when it compares with one.
    if (c.field === "preference" && (c.op === "set" || c.op === "unset")) delete out.value;
    return out;
  };
  return { match: state.match, groups: state.groups.map((g) => ({ match: g.match, conditions: g.rows.map((r) => clean(r.condition)) })) } as SegmentDefinition;
}

let nextKey = 1;
const key = () => nextKey++;

function fromDefinition(definition: SegmentDefinition | null): State {
  if (!definition) return { match: "and", groups: [{ key: key(), match: "and", rows: [] }] };
  const draft = (c: Record<string, unknown>): Draft =>
    Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v === "number" ? String(v) : v])) as Draft;
  return {
    match: definition.match,
    groups: definition.groups.map((g) => ({ key: key(), match: g.match, rows: g.conditions.map((c) => ({ key: key(), condition: draft(c) })) })),
  };
}

export function SegmentEditor({
  definition,
  options,
  errors,
}: {
  definition: SegmentDefinition | null;
  options: SegmentEditorOptions;
  /** The save's refusal of the definition (message keys). */
  errors?: string[];
}) {
  const t = useT();
  const hydrated = useHydrated();
  const [state, setState] = useState<State>(() => fromDefinition(definition));
  const json = useMemo(() => JSON.stringify(toDefinition(state)), [state]);
  const preview = useFetcher<SegmentPreview>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => preview.submit({ definition: json }, { method: "post", action: PREVIEW }), 350);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the fetcher's identity changes with its state; the JSON is what matters
  }, [json]);

  const issues = preview.data && !preview.data.ok ? preview.data.issues : [];
  const issueAt = (path: string) => issues.filter((i) => i.path === path).map((i) => i.message);
  const overall = [...issueAt(""), ...(errors ?? [])];

  const setGroups = (change: (groups: Group[]) => Group[]) => setState((s) => ({ ...s, groups: change(s.groups) }));
  const setGroup = (gi: number, change: (g: Group) => Group) => setGroups((groups) => groups.map((g, i) => (i === gi ? change(g) : g)));
  const setRow = (gi: number, ri: number, condition: Draft) => setGroup(gi, (g) => ({ ...g, rows: g.rows.map((r, i) => (i === ri ? { ...r, condition } : r)) }));

  return (
    <div className="segment-editor">
      <input type="hidden" name="definition" value={json} />
      <section className="segment-editor__conditions stack" aria-labelledby="segment-conditions">
        <h2 id="segment-conditions">{t("segments.conditions")}</h2>
        {!hydrated ? <p className="notice">{t("segments.needsJs")}</p> : null}
        <FieldErrors id="segment-definition-error" errors={overall.length ? [...new Set(overall)] : undefined} translate={(e) => translateError(t, e)} />
        {state.groups.length > 1 ? (
          <MatchToggle name="segment-groups-match" legend={t("segments.groupsMatch")} value={state.match} onChange={(match) => setState((s) => ({ ...s, match }))} disabled={!hydrated} />
        ) : null}
        {state.groups.map((group, gi) => (
          <div key={group.key} className="stack">
            {gi > 0 ? (
              <p className="segment-join" aria-hidden="true">
                {t(`segments.join.${state.match}`)}
              </p>
            ) : null}
            <fieldset className="card segment-group" disabled={!hydrated}>
              <legend>{t("segments.group", { n: gi + 1 })}</legend>
              {group.rows.length > 1 ? (
                <MatchToggle name={`segment-g${group.key}-match`} legend={t("segments.conditionsMatch")} value={group.match} onChange={(match) => setGroup(gi, (g) => ({ ...g, match }))} />
              ) : null}
              {group.rows.length === 0 ? <p className="muted">{t("segments.emptyGroup")}</p> : null}
              <ol className="segment-rows">
                {group.rows.map((row, ri) => {
                  const id = `seg-${group.key}-${row.key}`;
                  const rowErrors = issueAt(`groups.${gi}.conditions.${ri}`);
                  return (
                    <li key={row.key} className="segment-row">
                      {ri > 0 ? (
                        <span className="segment-join segment-join--inline" aria-hidden="true">
                          {t(`segments.join.${group.match}`)}
                        </span>
                      ) : null}
                      <fieldset className="segment-condition" aria-describedby={rowErrors.length ? `${id}-error` : undefined}>
                        <legend className="visually-hidden">{t("segments.condition", { n: ri + 1 })}</legend>
                        <div className="segment-condition__controls">
                          <div className="field">
                            <label htmlFor={`${id}-field`}>{t("segments.field")}</label>
                            <select id={`${id}-field`} value={row.condition.field} onChange={(e) => setRow(gi, ri, blank(e.target.value as SegmentField))}>
                              {SEGMENT_FIELDS.map((f) => (
                                <option key={f} value={f}>
                                  {t(`segments.field.${f}`)}
                                </option>
                              ))}
                            </select>
                          </div>
                          <ConditionInputs id={id} condition={row.condition} options={options} onChange={(c) => setRow(gi, ri, c)} t={t} />
                          <button
                            type="button"
                            className="button button--ghost segment-remove"
                            aria-label={t("segments.removeCondition", { n: ri + 1 })}
                            title={t("segments.removeCondition", { n: ri + 1 })}
                            onClick={() => setGroup(gi, (g) => ({ ...g, rows: g.rows.filter((_, i) => i !== ri) }))}
                          >
                            <span aria-hidden="true">✕</span>
                          </button>
                        </div>
                        <FieldErrors id={`${id}-error`} errors={rowErrors} translate={(e) => translateError(t, e)} />
                      </fieldset>
                    </li>
                  );
                })}
              </ol>
              <div className="actions">
                <button
                  type="button"
                  className="button"
                  disabled={group.rows.length >= SEGMENT_LIMITS.conditionsPerGroup}
                  onClick={() => setGroup(gi, (g) => ({ ...g, rows: [...g.rows, { key: key(), condition: blank("stage") }] }))}
                >
                  {t("segments.addCondition")}
                </button>
                {state.groups.length > 1 ? (
                  <button type="button" className="button button--ghost" onClick={() => setGroups((groups) => groups.filter((_, i) => i !== gi))}>
                    {t("segments.removeGroup", { n: gi + 1 })}
                  </button>
                ) : null}
              </div>
            </fieldset>
          </div>
        ))}
        <p>
          <button
            type="button"
            className="button"
            disabled={!hydrated || state.groups.length >= SEGMENT_LIMITS.groups}
            onClick={() => setGroups((groups) => [...groups, { key: key(), match: "and", rows: [{ key: key(), condition: blank("stage") }] }])}
          >
            {t("segments.addGroup")}
          </button>
        </p>
      </section>
      <PreviewPanel preview={preview.data} busy={preview.state !== "idle"} t={t} />
    </div>
  );
}

function MatchToggle({ name, legend, value, onChange, disabled }: { name: string; legend: string; value: Match; onChange: (m: Match) => void; disabled?: boolean }) {
  const t = useT();
  return (
    <fieldset className="segment-match" disabled={disabled}>
      <legend>{legend}</legend>
      {(["and", "or"] as const).map((m) => (
        <label key={m} className="segment-match__option">
          <input type="radio" name={name} value={m} checked={value === m} onChange={() => onChange(m)} />
          <span>{t(`segments.match.${m}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

function ConditionInputs({ id, condition: c, options, onChange, t }: { id: string; condition: Draft; options: SegmentEditorOptions; onChange: (c: Draft) => void; t: Translate }) {
  const locale = useLocale();
  const set = (changes: Record<string, unknown>) => onChange({ ...c, ...changes });
  const text = (name: string) => (typeof c[name] === "string" ? (c[name] as string) : "");
  const values = (Array.isArray(c.values) ? c.values : []) as string[];
  const operators = OPERATORS[c.field];
  const op = operators ? (
    <div className="field">
      <label htmlFor={`${id}-op`}>{t("segments.operator")}</label>
      <select id={`${id}-op`} value={String(c.op)} onChange={(e) => set({ op: e.target.value })}>
        {operators.map((o) => (
          <option key={o} value={o}>
            {t(`segments.op.${o}` as MessageKey)}
          </option>
        ))}
      </select>
    </div>
  ) : null;
  const checks = (choices: { value: string; label: string }[], empty?: MessageKey) => (
    <fieldset className="checks segment-checks">
      <legend>{t("segments.values")}</legend>
      {choices.length === 0 && empty ? <p className="muted small">{t(empty)}</p> : null}
      {choices.map((choice) => (
        <label key={choice.value} className="check">
          <input
            type="checkbox"
            checked={values.includes(choice.value)}
            onChange={(e) => set({ values: e.target.checked ? [...values, choice.value] : values.filter((v) => v !== choice.value) })}
          />
          <span>{choice.label}</span>
        </label>
      ))}
    </fieldset>
  );
  const number = (name: string, label: MessageKey, extra: { min?: number; max?: number } = {}) => (
    <div className="field segment-number">
      <label htmlFor={`${id}-${name}`}>{t(label)}</label>
      <input id={`${id}-${name}`} type="number" inputMode="numeric" min={extra.min ?? 0} max={extra.max} step={1} value={text(name)} onChange={(e) => set({ [name]: e.target.value })} />
    </div>
  );
  const select = (name: string, label: MessageKey, choices: { value: string; label: string }[], value = text(name), onPick = (v: string) => set({ [name]: v })) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{t(label)}</label>
      <select id={`${id}-${name}`} value={value} onChange={(e) => onPick(e.target.value)}>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
  const stars = [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t("segments.stars", { count: n }) }));
  let inputs: ReactNode;
  switch (c.field) {
    case "stage":
      inputs = checks(STAGES.map((s) => ({ value: s, label: t(`stage.${s}`) })));
      break;
    case "engagement_band":
      inputs = checks((["low", "medium", "high"] as const).map((b) => ({ value: b, label: t(`crm.engagement.${b}`) })));
      break;
    case "engagement_score":
      inputs = (
        <>
          {number("min", "segments.min")}
          {number("max", "segments.max")}
        </>
      );
      break;
    case "manager":
      inputs = checks([{ value: "none", label: t("segments.managerNone") }, ...options.managers.map((m) => ({ value: m.id, label: m.displayName }))]);
      break;
    case "tag":
      inputs = checks(options.tags.map((tag) => ({ value: tag, label: `#${tag}` })), "segments.noTags");
      break;
    case "owns_product":
      inputs = checks(options.products.map((p) => ({ value: p.id, label: locale === "en" ? p.nameEn : p.nameVi })), "segments.noProducts");
      break;
    case "preference": {
      const key = text("key") as keyof typeof PREFERENCE_CATALOGUE;
      const spec = PREFERENCE_CATALOGUE[key];
      const compares = c.op === "is" || c.op === "contains";
      inputs = (
        <>
          {select(
            "key",
            "segments.preferenceKey",
            PREFERENCE_KEYS.map((k) => ({ value: k, label: t(`pref.${k}`) })),
            key,
            (k) => set({ key: k, value: "" }),
          )}
          {compares && spec?.type === "choice" && c.op === "is"
            ? select("value", "segments.value", [{ value: "", label: t("segments.anyChoice") }, ...spec.choices.map((choice) => ({ value: choice, label: t(`pref.${key}.${choice}` as MessageKey) }))])
            : null}
          {compares && !(spec?.type === "choice" && c.op === "is") ? (
            <div className="field">
              <label htmlFor={`${id}-value`}>{t("segments.value")}</label>
              <input id={`${id}-value`} type="text" maxLength={200} value={text("value")} onChange={(e) => set({ value: e.target.value })} />
            </div>
          ) : null}
        </>
      );
      break;
    }
    case "language":
      inputs = checks(LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) })));
      break;
    case "member_since":
      inputs = (
        <div className="field">
          <label htmlFor={`${id}-date`}>{t("segments.date")}</label>
          <input id={`${id}-date`} type="date" value={text("date")} onChange={(e) => set({ date: e.target.value })} />
        </div>
      );
      break;
    case "last_activity":
      inputs = number("days", "segments.days", { min: 1, max: SEGMENT_LIMITS.days });
      break;
    case "activity":
      inputs = (
        <>
          {select("activity", "segments.activity", ACTIVITIES.map((a) => ({ value: a, label: t(`segments.activity.${a}`) })))}
          {number("days", "segments.withinDays", { min: 1, max: SEGMENT_LIMITS.days })}
        </>
      );
      break;
    case "review_rating":
      inputs = (
        <>
          {select("min", "segments.min", stars)}
          {select("max", "segments.max", stars)}
        </>
      );
      break;
    case "consent":
      inputs = (
        <>
          {select("channel", "segments.channel", CONSENT_CHANNELS.map((ch) => ({ value: ch, label: t(`consent.${ch}`) })))}
          {select(
            "granted",
            "segments.consentState",
            [
              { value: "yes", label: t("segments.consent.granted") },
              { value: "no", label: t("segments.consent.notGranted") },
            ],
            c.granted ? "yes" : "no",
            (v) => set({ granted: v === "yes" }),
          )}
        </>
      );
      break;
  }
  return (
    <>
      {op}
      {inputs}
    </>
  );
}

function PreviewPanel({ preview, busy, t }: { preview: SegmentPreview | undefined; busy: boolean; t: Translate }) {
  return (
    <aside className="card segment-preview" aria-labelledby="segment-preview-title">
      <h2 id="segment-preview-title">{t("segments.preview")}</h2>
      <p className="segment-preview__count" role="status" aria-live="polite" aria-busy={busy}>
        {preview?.ok ? t("segments.matching", { count: preview.count }) : busy || !preview ? t("segments.counting") : "—"}
      </p>
      <p className="muted small">{t("segments.previewScope")}</p>
      {preview?.ok && preview.sample.length ? (
        <>
          <h3 className="small">{t("segments.sample")}</h3>
          <ul className="plain-list segment-sample">
            {preview.sample.map((m) => (
              <li key={m.id}>
                <Link to={`/staff/members/${m.id}`}>{m.displayName}</Link>{" "}
                <span className="muted small">
                  {t(`stage.${m.stage}`)} · {t("segments.sampleScore", { score: m.engagementScore })}
                  {m.manager ? ` · ${m.manager}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </aside>
  );
}

export interface SegmentFormRefusal {
  ok: false;
  fieldErrors: Record<string, string[] | undefined>;
  formError: string | null;
  values: { name: string; description: string };
}

/** The editor page of a new or saved segment: name, description, the builder, save; archive for a saved one. */
export function SegmentForm({
  segment,
  options,
  refusal,
  canChange,
}: {
  segment: { id: string; name: string; description: string | null; definition: SegmentDefinition } | null;
  options: SegmentEditorOptions;
  refusal: SegmentFormRefusal | undefined;
  canChange: boolean;
}) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const { field, invalid } = labelledFields(t, "segment", refusal?.fieldErrors);
  const values = refusal?.values ?? { name: segment?.name ?? "", description: segment?.description ?? "" };
  return (
    <div className="stack">
      <p>
        <Link to="/staff/segments">← {t("segments.back")}</Link>
      </p>
      <h1>{segment ? t("segments.editTitle") : t("segments.newTitle")}</h1>
      {!canChange ? <p className="notice">{t("segments.readOnly")}</p> : null}
      {refusal?.formError ? (
        <p role="alert" className="notice notice--error">
          {refusal.formError}
        </p>
      ) : null}
      <Form method="post" className="stack" id="segment-form">
        <div className="segment-meta">
          {field("name", "segments.name", <input id="segment-name" name="name" required maxLength={SEGMENT_LIMITS.nameMax} defaultValue={values.name} {...invalid("name")} />)}
          {field(
            "description",
            "segments.description",
            <textarea id="segment-description" name="description" rows={2} maxLength={SEGMENT_LIMITS.descriptionMax} defaultValue={values.description} {...invalid("description")} />,
          )}
        </div>
        <SegmentEditor definition={segment?.definition ?? null} options={options} errors={refusal?.fieldErrors.definition} />
        {canChange ? (
          <div className="actions segment-save">
            <button type="submit" name="intent" value="save" className="button button--primary" disabled={busy}>
              {t("segments.save")}
            </button>
            {/* Archive belongs to its own form (below), kept apart from Save at the row's other end. */}
            {segment ? (
              <button type="submit" form="segment-archive" className="button button--danger" aria-label={t("segments.archiveNamed", { name: segment.name })}>
                {t("segments.archive")}
              </button>
            ) : null}
          </div>
        ) : null}
      </Form>
      {segment && canChange ? (
        <Form method="post" id="segment-archive" hidden>
          <input type="hidden" name="intent" value="archive" />
        </Form>
      ) : null}
    </div>
  );
}
