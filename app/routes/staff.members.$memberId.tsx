import { data, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldErrors } from "~/components/field";
import { PreferencesEditor } from "~/components/preferences-editor";
import { contactHoursText } from "~/components/contact-hours";
import { TouchpointWhat } from "~/components/timeline";
import { STAGES, type Stage } from "~/modules/console/engagement";
import { MemberNotFound, requireConsoleAccess } from "~/modules/console/access.server";
import { memberTasksFor } from "~/modules/console/tasks.server";
import { MemberTasks } from "~/components/member-tasks";
import { openMemberPage } from "~/modules/console/member-page.server";
import { markOfferRedeemed, offersOnRecord } from "~/modules/offers/offers.server";
import { OffersOnRecord } from "~/components/offers";
import { addNote, deleteNote, logInteraction, pinNote, setStage, setTags } from "~/modules/console/record-commands.server";
import type { Actor } from "~/modules/policy/actor";
import { refuse } from "~/utils/refusal.server";
import { TIMELINE_GROUPS, TIMELINE_GROUP_NAMES, isTimelineGroup, timelineGroupLabel, type TimelineGroup } from "~/modules/console/timeline-groups";
import { AccessDenied } from "~/modules/policy/access-denied";
import { avatarUrl } from "~/modules/members/avatar.server";
import type { MemberTouchpointEvent } from "~/realtime/events";
import { useSocket, useSocketEvent } from "~/realtime/client";
import { requirePermission } from "~/utils/auth.server";
import { handlePreferenceForm } from "~/utils/preference-form.server";
import { useDates, useLocale, useT } from "~/utils/i18n";
import { suspensionEnd } from "~/utils/standing";
import { translateError } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/en";
import type { loader as timelineLoader } from "./staff.members_.$memberId.timeline";

export const meta: MetaFunction = () => [{ title: "Member · Rapport" }];

/** Refusals are 404s: a member one may not open looks like no member at all. */
async function notFoundOnRefusal<T>(work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MemberNotFound) throw new Response("Not found", { status: 404 });
    if (error instanceof AccessDenied) throw new Response(error.message, { status: 403 });
    throw error;
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const group = new URL(request.url).searchParams.get("group");
  const actor = { id: user.id, role: user.role };
  const [page, tasks] = await notFoundOnRefusal(() =>
    Promise.all([
      openMemberPage(context.services, actor, params.memberId ?? "", { ip: context.ip, group: isTimelineGroup(group) ? group : undefined }),
      memberTasksFor(context.services, actor, params.memberId ?? ""),
    ]),
  );
  // After the page opened: the member-scope rule already let this viewer in.
  const offers = await offersOnRecord(context.services, page.member.id);
  return { ...page, tasks, offers, viewerId: user.id, group: isTimelineGroup(group) ? group : null, member: { ...page.member, avatar: avatarUrl(page.member.avatarKey) } };
}

type Result = { ok: boolean; intent: string; fieldErrors?: Record<string, string[] | undefined>; formError?: string | null };
type Run = { services: AppLoadContext["services"]; actor: Actor; memberId: string; form: Record<string, FormDataEntryValue>; origin: { ip: string } };

/** The record's forms, each an intent mapped to its command. */
const INTENTS: Record<string, (run: Run) => ReturnType<typeof addNote | typeof pinNote | typeof logInteraction | typeof markOfferRedeemed>> = {
  "note.add": ({ services, actor, memberId, form, origin }) => addNote(services, actor, { ...form, memberId }, origin),
  "note.pin": ({ services, actor, memberId, form, origin }) => pinNote(services, actor, { memberId, noteId: form.noteId, pinned: true }, origin),
  "note.unpin": ({ services, actor, memberId, form, origin }) => pinNote(services, actor, { memberId, noteId: form.noteId, pinned: false }, origin),
  "note.delete": ({ services, actor, memberId, form, origin }) => deleteNote(services, actor, { memberId, noteId: form.noteId }, origin),
  "interaction.log": ({ services, actor, memberId, form, origin }) => logInteraction(services, actor, { ...form, memberId }, origin),
  // "Use the suggestion" submits the suggested stage instead of the one chosen in the list.
  "stage.set": ({ services, actor, memberId, form, origin }) => setStage(services, actor, { ...form, memberId, stage: form.suggested || form.stage }, origin),
  "tags.set": ({ services, actor, memberId, form, origin }) => setTags(services, actor, { ...form, memberId }, origin),
  "offer.redeem": ({ services, actor, form, origin }) => markOfferRedeemed(services, actor, { grantId: form.grantId }, origin),
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const actor = { id: user.id, role: user.role };
  const memberId = params.memberId ?? "";
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const run = Object.hasOwn(INTENTS, intent) ? INTENTS[intent] : null;
  if (!run) {
    // The "what we remember" editor: anyone the member-scope rule lets open the record.
    return notFoundOnRefusal(async () => {
      await requireConsoleAccess(context.services, actor, memberId);
      return handlePreferenceForm(context.services, actor, memberId, formData, { ip: context.ip });
    });
  }
  const result = await run({ services: context.services, actor, memberId, form: Object.fromEntries(formData), origin: { ip: context.ip } });
  if (result.ok) return data<Result>({ ok: true, intent });
  // Staff who may not open this member learn nothing from any intent: the page's 404.
  if (result.error === "notFound" && !result.message) throw new Response("Not found", { status: 404 });
  return refuse(result, context.locale, { intent });
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
type TimelineEntry = PageData["timeline"]["items"][number];

function useErrors(raw: Result | { key: string } | undefined) {
  const t = useT();
  const result = raw && "intent" in raw ? raw : undefined;
  return {
    errors: result && !result.ok ? (result.fieldErrors ?? {}) : {},
    // Already in the reader's language (the refusal adapter localized it).
    formError: result && !result.ok && result.formError ? result.formError : null,
    translate: (e: string) => translateError(t, e),
  };
}

/** A key that changes after each saved submission: the form remounts empty; a refused one keeps what was typed. */
function useFreshFormKey(fetcher: { state: string; data?: Result | { key: string } }) {
  const [key, setKey] = useState(0);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data && "intent" in fetcher.data && fetcher.data.ok) setKey((k) => k + 1);
  }, [fetcher.state, fetcher.data]);
  return key;
}

export default function MemberPage() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const page = useLoaderData<typeof loader>();
  const { member, engagement, access } = page;
  const prefResult = useActionData<typeof action>();
  const [score, setScore] = useState(member.engagementScore);
  useEffect(() => setScore(engagement.score), [engagement.score]);
  const name = member.displayName || t("member.former");
  return (
    <div className="stack">
      <p>
        <Link to="/staff/members">← {t("crm.members.title")}</Link>
      </p>
      {access === "backup" ? (
        <p className="notice" role="note">
          {t("inbox.coveringNotice", { name: member.accountManager?.displayName ?? "—" })}
        </p>
      ) : null}
      <header className="media card member-head">
        <Avatar name={name} url={member.avatar} size="lg" />
        <div className="stack">
          <h1>{name}</h1>
          <p>
            <span className="badge">{t(`stage.${member.stage}`)}</span>{" "}
            <span className="badge" data-testid="engagement-score">
              {t("crm.scoreBadge", { score })}
            </span>{" "}
            {member.tags.map((tag) => (
              <span key={tag.tag} className="badge">
                #{tag.tag}
              </span>
            ))}
          </p>
          {member.suspension ? (
            <p className="notice notice--error">
              {t("standing.suspendedUntil", { until: suspensionEnd(t, dates, member.suspension), reason: member.suspension.reason })}{" "}
              <Link to={`/community/u/${member.username}`}>{t("standing.manage")}</Link>
            </p>
          ) : null}
          <dl className="facts">
            <dt>{t("profile.email")}</dt>
            <dd>{member.email}</dd>
            {member.phone ? (
              <>
                <dt>{t("profile.phone")}</dt>
                <dd>{member.phone}</dd>
              </>
            ) : null}
            {member.company ? (
              <>
                <dt>{t("profile.company")}</dt>
                <dd>{member.company}</dd>
              </>
            ) : null}
            <dt>{t("profile.contactChannel")}</dt>
            <dd>
              {t(`profile.channel.${member.contactChannel as "chat" | "email" | "phone"}`)}
              {member.contactHours ? ` · ${member.contactHours}` : ""}
            </dd>
            <dt>{t("profile.language")}</dt>
            <dd>{member.locale === "en" ? t("lang.en") : t("lang.vi")}</dd>
            <dt>{t("staff.manager")}</dt>
            <dd>{member.accountManager?.displayName ?? "—"}</dd>
            <dt>{t("staff.since")}</dt>
            <dd>{dates.date(member.createdAt)}</dd>
            <dt>{t("crm.products")}</dt>
            <dd>
              {member.ownedProducts.length
                ? member.ownedProducts.map((o, n) => (
                    <span key={o.product.slug}>
                      {n ? ", " : ""}
                      <Link to={`/products/${o.product.slug}`}>{locale === "en" ? o.product.nameEn : o.product.nameVi}</Link>
                    </span>
                  ))
                : "—"}
            </dd>
            <dt>{t("consent.title")}</dt>
            <dd>
              {page.consents
                .filter((c) => c.granted)
                .map((c) => t(`consent.${c.channel}`))
                .join(", ") || "—"}
            </dd>
          </dl>
          <TagsForm tags={member.tags.map((x) => x.tag)} />
        </div>
      </header>

      <div className="record">
        <div className="record__main stack">
          <Timeline memberId={member.id} initial={page.timeline} group={page.group} onScore={setScore} />
          <Notes notes={page.notes} />
          <Interactions interactions={page.interactions} />
        </div>
        <aside className="record__side stack">
          <MemberTasks
            memberId={member.id}
            tasks={{ today: page.tasks.today, open: page.tasks.open, done: page.tasks.done }}
            assignees={page.tasks.assignees}
            currentUserId={page.tasks.currentUserId}
            redirectTo={`/staff/members/${member.id}`}
          />
          <OffersOnRecord offers={page.offers} />
          <StagePanel current={member.stage} engagement={engagement} history={page.stageHistory} score={score} />
          <section className="card stack" aria-labelledby="remember-title" id="remember">
            <h2 id="remember-title">{t("remember.titleStaff", { name: member.displayName || t("member.former") })}</h2>
            {/* Set by the member on their profile; announcement mail waits for it. */}
            <dl className="facts">
              <dt>{t("contactHours.staffLabel")}</dt>
              <dd>
                {contactHoursText(t, member.contactWindow, member.timezone)}
                {member.contactWindow ? (
                  <>
                    {" "}
                    <span className={`badge badge--${member.contactWindow.source}`}>
                      {member.contactWindow.source === "member" ? t("staff.sourceMember") : t("staff.sourceStaff")}
                    </span>{" "}
                    <span className="muted small">{t("remember.updated", { date: dates.dateTime(member.contactWindow.updatedAt) })}</span>
                  </>
                ) : null}
              </dd>
            </dl>
            <PreferencesEditor
              preferences={page.preferences}
              actionData={prefResult && "key" in prefResult ? prefResult : undefined}
              t={t}
              sourceLabels={{ member: t("staff.sourceMember"), staff: t("staff.sourceStaff") }}
            />
          </section>
        </aside>
      </div>
    </div>
  );
}

function TagsForm({ tags }: { tags: string[] }) {
  const t = useT();
  const fetcher = useFetcher<typeof action>();
  const { errors, formError, translate } = useErrors(fetcher.data);
  return (
    <fetcher.Form method="post" className="actions">
      <input type="hidden" name="intent" value="tags.set" />
      <label htmlFor="member-tags">{t("crm.tags")}</label>
      <input id="member-tags" name="tags" defaultValue={tags.join(", ")} aria-describedby="member-tags-hint member-tags-error" {...(errors.tags ? { "aria-invalid": true } : {})} />
      <button type="submit" className="button">
        {t("crm.saveTags")}
      </button>
      <span id="member-tags-hint" className="muted small">
        {t("crm.tagsHint")}
      </span>
      <FieldErrors id="member-tags-error" errors={errors.tags} translate={translate} />
      {formError ? <p role="alert">{formError}</p> : null}
    </fetcher.Form>
  );
}

function Timeline({
  memberId,
  initial,
  group,
  onScore,
}: {
  memberId: string;
  initial: PageData["timeline"];
  group: TimelineGroup | null;
  onScore: (score: number) => void;
}) {
  const t = useT();
  const dates = useDates();
  const [params] = useSearchParams();
  const [items, setItems] = useState<TimelineEntry[]>(initial.items);
  const [cursor, setCursor] = useState(initial.nextCursor);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const older = useFetcher<typeof timelineLoader>();
  const newest = useFetcher<typeof timelineLoader>();
  const socket = useSocket(true);
  useEffect(() => {
    setItems(initial.items);
    setCursor(initial.nextCursor);
  }, [initial]);

  const query = (extra: Record<string, string>) => new URLSearchParams({ ...(group ? { group } : {}), ...extra }).toString();
  const merge = useCallback((incoming: TimelineEntry[]) => {
    setItems((current) => {
      const byId = new Map(current.map((i) => [i.id, i]));
      for (const item of incoming) byId.set(item.id, item);
      return [...byId.values()].sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : a.id < b.id ? 1 : -1));
    });
  }, []);

  useEffect(() => {
    if (older.data) {
      merge(older.data.items);
      setCursor(older.data.nextCursor);
    }
  }, [older.data, merge]);
  useEffect(() => {
    if (newest.data) merge(newest.data.items);
  }, [newest.data, merge]);

  // Live: join the member's room (the server checks access), and on every reconnect.
  useEffect(() => {
    if (!socket) return;
    const watch = () => socket.emit("member:watch", { memberId }, () => {});
    socket.on("connect", watch);
    if (socket.connected) watch();
    return () => {
      socket.off("connect", watch);
      socket.emit("member:unwatch", { memberId });
    };
  }, [socket, memberId]);
  const onTouchpoint = useCallback(
    (event: MemberTouchpointEvent) => {
      if (event.memberId !== memberId) return;
      onScore(event.score);
      if (!event.item) return;
      const prefixes: readonly string[] | null = group ? TIMELINE_GROUPS[group] : null;
      if (prefixes && !prefixes.some((p) => event.item!.kind.startsWith(p))) return;
      setFresh((current) => new Set(current).add(event.item!.id));
      // Fetch the newest page rather than trusting the event alone: it carries the subject links.
      newest.load(`/staff/members/${memberId}/timeline?${query({})}`);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [memberId, group, onScore],
  );
  useSocketEvent(socket, "member:touchpoint", onTouchpoint);

  // Infinite scroll: reaching the end of the list loads the next page (the button stays for keyboards).
  const end = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const target = end.current;
    if (!target || !cursor || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && older.state === "idle") older.load(`/staff/members/${memberId}/timeline?${query({ before: cursor })}`);
    });
    observer.observe(target);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cursor, older.state, memberId, group]);

  const link = (g: TimelineGroup | null) => {
    const next = new URLSearchParams(params);
    if (g) next.set("group", g);
    else next.delete("group");
    return `?${next}`;
  };
  return (
    <section className="card stack" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("staff.timeline")}</h2>
      <nav aria-label={t("crm.timeline.filter")} className="subnav subnav--row">
        <ul>
          <li>
            <Link to={link(null)} preventScrollReset aria-current={group === null ? "page" : undefined}>
              {t("crm.timeline.all")}
            </Link>
          </li>
          {TIMELINE_GROUP_NAMES.map((g) => (
            <li key={g}>
              <Link to={link(g)} preventScrollReset aria-current={group === g ? "page" : undefined}>
                {t(timelineGroupLabel(g))}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {items.length === 0 ? <p className="muted">{t("profile.activityEmpty")}</p> : null}
      <ol className="timeline" aria-live="polite" aria-relevant="additions" data-testid="member-timeline">
        {items.map((item) => (
          <li key={item.id} className={`timeline__item${fresh.has(item.id) ? " timeline__item--new" : ""}`} data-kind={item.kind}>
            <TouchpointWhat item={item} t={t} dates={dates} link={item.link} />
            {item.actor ? <span className="muted"> {t("touchpoint.by", { name: item.actor.displayName || t("member.former") })}</span> : null}
            <time className="timeline__when muted" dateTime={new Date(item.occurredAt).toISOString()}>
              {dates.dateTime(item.occurredAt)}
            </time>
          </li>
        ))}
      </ol>
      {cursor ? (
        <button
          ref={end}
          type="button"
          className="button button--ghost"
          disabled={older.state !== "idle"}
          onClick={() => older.load(`/staff/members/${memberId}/timeline?${query({ before: cursor })}`)}
        >
          {older.state !== "idle" ? t("chat.loading") : t("crm.timeline.older")}
        </button>
      ) : null}
    </section>
  );
}

function Notes({ notes }: { notes: PageData["notes"] }) {
  const t = useT();
  const dates = useDates();
  const add = useFetcher<typeof action>();
  const { errors, formError, translate } = useErrors(add.data);
  const formKey = useFreshFormKey(add);
  return (
    <section className="card stack" aria-labelledby="notes-title">
      <h2 id="notes-title">{t("crm.notes")}</h2>
      <p className="muted small">{t("crm.notesHint")}</p>
      <add.Form method="post" className="stack" key={formKey}>
        <input type="hidden" name="intent" value="note.add" />
        <div className="field">
          <label htmlFor="note-body">{t("crm.newNote")}</label>
          <textarea id="note-body" name="body" rows={3} maxLength={10_000} aria-describedby="note-body-error" {...(errors.body ? { "aria-invalid": true } : {})} />
          <FieldErrors id="note-body-error" errors={errors.body} translate={translate} />
        </div>
        <label className="check">
          <input type="checkbox" name="pinned" /> {t("crm.pin")}
        </label>
        {formError ? <p role="alert">{formError}</p> : null}
        <button type="submit" className="button button--primary" disabled={add.state !== "idle"}>
          {t("crm.addNote")}
        </button>
      </add.Form>
      <ul className="stack notes">
        {notes.map((note) => (
          <li key={note.id} className={`card note${note.pinned ? " note--pinned" : ""}`}>
            <p className="muted small">
              {note.pinned ? <span className="badge">{t("crm.pinned")}</span> : null} {note.author?.displayName ?? t("member.former")} ·{" "}
              <time dateTime={new Date(note.createdAt).toISOString()}>{dates.dateTime(note.createdAt)}</time>
            </p>
            {/* Safe: rendered by the server's markdown renderer. */}
            <div className="prose" dangerouslySetInnerHTML={{ __html: note.bodyHtml }} />
            <NoteActions note={note} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoteActions({ note }: { note: PageData["notes"][number] }) {
  const t = useT();
  const fetcher = useFetcher<typeof action>();
  const { formError } = useErrors(fetcher.data);
  return (
    <fetcher.Form method="post" className="actions">
      <input type="hidden" name="noteId" value={note.id} />
      <button type="submit" name="intent" value={note.pinned ? "note.unpin" : "note.pin"} className="button button--ghost">
        {note.pinned ? t("crm.unpin") : t("crm.pin")}
      </button>
      {note.mine ? (
        <button type="submit" name="intent" value="note.delete" className="button button--ghost">
          {t("canned.delete")}
        </button>
      ) : null}
      {formError ? <span role="alert">{formError}</span> : null}
    </fetcher.Form>
  );
}

function Interactions({ interactions }: { interactions: PageData["interactions"] }) {
  const t = useT();
  const dates = useDates();
  const fetcher = useFetcher<typeof action>();
  const { errors, formError, translate } = useErrors(fetcher.data);
  const formKey = useFreshFormKey(fetcher);
  const invalid = (name: string) => (errors[name] ? { "aria-invalid": true as const, "aria-describedby": `interaction-${name}-error` } : {});
  return (
    <section className="card stack" aria-labelledby="interactions-title" id="interactions">
      <h2 id="interactions-title">{t("crm.logInteraction")}</h2>
      <fetcher.Form method="post" className="stack" key={formKey}>
        <input type="hidden" name="intent" value="interaction.log" />
        <div className="toolbar">
          <div className="field">
            <label htmlFor="interaction-channel">{t("crm.channel")}</label>
            <select id="interaction-channel" name="channel" defaultValue="call" {...invalid("channel")}>
              {(["call", "meeting", "email", "visit"] as const).map((c) => (
                <option key={c} value={c}>
                  {t(`crm.channel.${c}`)}
                </option>
              ))}
            </select>
            <FieldErrors id="interaction-channel-error" errors={errors.channel} translate={translate} />
          </div>
          <div className="field">
            <label htmlFor="interaction-when">{t("crm.when")}</label>
            <input id="interaction-when" name="occurredAt" type="datetime-local" required defaultValue={localNow()} {...invalid("occurredAt")} />
            <FieldErrors id="interaction-occurredAt-error" errors={errors.occurredAt} translate={translate} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="interaction-summary">{t("crm.summary")}</label>
          <textarea id="interaction-summary" name="summary" rows={2} maxLength={4000} required {...invalid("summary")} />
          <FieldErrors id="interaction-summary-error" errors={errors.summary} translate={translate} />
        </div>
        {formError ? <p role="alert">{formError}</p> : null}
        <button type="submit" className="button button--primary" disabled={fetcher.state !== "idle"}>
          {t("crm.log")}
        </button>
      </fetcher.Form>
      {interactions.length ? (
        <ul className="small">
          {interactions.map((i) => (
            <li key={i.id}>
              <strong>{t(`crm.channel.${i.channel}`)}</strong> · {dates.dateTime(i.occurredAt)}
              {i.staffName ? ` · ${i.staffName}` : ""}: {i.summary}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** "Now" for a datetime-local input, in the browser's time zone (the server renders UTC; the browser corrects it). */
function localNow() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function StagePanel({ current, engagement, history, score }: { current: Stage; engagement: PageData["engagement"]; history: PageData["stageHistory"]; score: number }) {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const fetcher = useFetcher<typeof action>();
  const { errors, formError, translate } = useErrors(fetcher.data);
  const freshKey = useFreshFormKey(fetcher);
  const suggestion = engagement.suggestion;
  const areas = suggestion.facts.areas.map((a) => t(`crm.area.${a}`)).join(", ") || "—";
  return (
    <section className="card stack" aria-labelledby="stage-title">
      <h2 id="stage-title">{t("crm.stage")}</h2>
      <ol className="stages" aria-label={t("crm.stages")}>
        {STAGES.map((s) => (
          <li key={s} className={s === current ? "stages__current" : suggestion.stage === s ? "stages__suggested" : undefined} aria-current={s === current ? "step" : undefined}>
            {t(`stage.${s}`)}
            {s === current ? <span className="visually-hidden"> ({t("crm.current")})</span> : null}
          </li>
        ))}
      </ol>
      <p>
        {t("crm.suggested", { stage: t(`stage.${suggestion.stage}`) })}{" "}
        <span className="muted small">{t("crm.suggestedWhy", { score: suggestion.facts.score, areas, days: suggestion.facts.tenureDays })}</span>
      </p>
      <p className="muted small">{t(`crm.rule.${suggestion.rule}`)}</p>
      {/* Keyed by the current stage and each save: the list starts on the stage the member is in, never on a suggestion. */}
      <fetcher.Form method="post" className="stack" key={`${current}-${freshKey}`}>
        <input type="hidden" name="intent" value="stage.set" />
        <div className="field">
          <label htmlFor="stage-select">{t("crm.setStage")}</label>
          <select id="stage-select" name="stage" defaultValue={current} {...(errors.stage ? { "aria-invalid": true, "aria-describedby": "stage-error" } : {})}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`stage.${s}`)}
                {s === current ? ` (${t("crm.current")})` : ""}
              </option>
            ))}
          </select>
          <FieldErrors id="stage-error" errors={errors.stage} translate={translate} />
        </div>
        <div className="field">
          <label htmlFor="stage-reason">{t("crm.reason")}</label>
          <input id="stage-reason" name="reason" maxLength={500} required {...(errors.reason ? { "aria-invalid": true, "aria-describedby": "reason-error" } : {})} />
          <FieldErrors id="reason-error" errors={errors.reason} translate={translate} />
        </div>
        {formError ? <p role="alert">{formError}</p> : null}
        <div className="toolbar">
          {/* Save comes first: Enter in the reason field saves what the list shows. */}
          <button type="submit" className="button button--primary" disabled={fetcher.state !== "idle"}>
            {t("crm.saveStage")}
          </button>
          {suggestion.stage !== current ? (
            <button type="submit" name="suggested" value={suggestion.stage} className="button" disabled={fetcher.state !== "idle"}>
              {t("crm.useSuggestion", { stage: t(`stage.${suggestion.stage}`) })}
            </button>
          ) : null}
        </div>
      </fetcher.Form>
      {history.length ? (
        <>
          <h3>{t("crm.stageHistory")}</h3>
          <ul className="small">
            {history.map((h) => (
              <li key={h.id}>
                {h.fromStage ? t(`stage.${h.fromStage}`) : "—"} → <strong>{t(`stage.${h.toStage}`)}</strong> · {dates.date(h.createdAt)}
                {h.actorName ? ` · ${h.actorName}` : ""}: {h.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>{t("crm.engagementTitle", { score })}</h3>
      <p className="muted small">{t("crm.engagementRule")}</p>
      {engagement.parts.length ? (
        <table className="small">
          <caption className="visually-hidden">{t("crm.engagementTable")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("crm.what")}</th>
              <th scope="col">{t("crm.howMany")}</th>
              <th scope="col">{t("crm.weight")}</th>
              <th scope="col">{t("crm.points")}</th>
            </tr>
          </thead>
          <tbody>
            {engagement.parts.map((p) => (
              <tr key={p.kind}>
                <th scope="row">{t(`crm.kind.${p.kind}` as MessageKey)}</th>
                <td>{p.count}</td>
                <td>{p.weight}</td>
                <td>{p.points.toLocaleString(locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted small">{t("crm.noEngagement")}</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
