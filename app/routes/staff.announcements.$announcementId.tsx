/**
 * One announcement: its composer while a draft (or scheduled), its progress and report once it
 * goes out. Every button posts an intent that runs one command; refusals come back through refuse().
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { PostButton } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldErrors } from "~/components/field";
import { AnnouncementFields, postedValues } from "~/components/announcement-form";
import {
  deliveriesByStage,
  duplicateAnnouncement,
  getAnnouncement,
  pauseAnnouncement,
  previewAsMember,
  previewAudience,
  resumeAnnouncement,
  scheduleAnnouncement,
  testSendAnnouncement,
  unscheduleAnnouncement,
  updateAnnouncement,
} from "~/modules/announcements/announcements.server";
import { liveSegments } from "~/modules/announcements/composer.server";
import { foundOr404, requireStaffActor, staffFormIntent } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";
import { translateError } from "~/i18n/translate";
import { useDates, useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = requireStaffActor(context, request);
  const { services } = context;
  const announcement = foundOr404(await getAnnouncement(services, actor, params.announcementId ?? ""));
  const as = new URL(request.url).searchParams.get("as")?.trim() ?? "";
  const editable = announcement.status === "draft" || announcement.status === "scheduled";
  const [segments, audience, preview, stages] = await Promise.all([
    liveSegments(services.db),
    // Before it goes out, the counts are the viewer's (they would be its sender); after, what it reached.
    editable ? previewAudience(services, actor, announcement.segmentId, announcement.topic) : null,
    as ? previewAsMember(services, actor, announcement.id, as) : null,
    editable ? [] : deliveriesByStage(services, actor, announcement.id),
  ]);
  return { announcement, segments, audience, preview, previewAs: as, stages, editable, timeZone: context.timeZone };
}

const Intent = z.enum(["save", "send-now", "schedule", "unschedule", "pause", "resume", "duplicate", "test-send"]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, form, intent } = await staffFormIntent(context, request, Intent);
  const announcementId = params.announcementId ?? "";
  const origin = { ip: context.ip };
  const s = context.services;
  const values = postedValues(form);
  const answer = { intent: intent, values };
  let result;
  switch (intent) {
    case "save":
      result = await updateAnnouncement(s, actor, { ...values, announcementId }, origin);
      break;
    case "send-now":
      result = await scheduleAnnouncement(s, actor, { announcementId, when: "now" }, origin);
      break;
    case "schedule":
      result = await scheduleAnnouncement(s, actor, { announcementId, when: "later", scheduledAt: form.get("scheduledAt"), theirTime: form.get("theirTime"), timeZone: context.timeZone }, origin);
      break;
    case "unschedule":
      result = await unscheduleAnnouncement(s, actor, { announcementId }, origin);
      break;
    case "pause":
      result = await pauseAnnouncement(s, actor, { announcementId }, origin);
      break;
    case "resume":
      result = await resumeAnnouncement(s, actor, { announcementId }, origin);
      break;
    case "test-send":
      result = await testSendAnnouncement(s, actor, { announcementId }, origin);
      break;
    case "duplicate": {
      const copy = await duplicateAnnouncement(s, actor, { announcementId }, origin);
      if (!copy.ok) return refuse(copy, context.locale, answer);
      throw redirect(`/staff/announcements/${copy.id}`);
    }
  }
  if (!result.ok) return refuse(result, context.locale, answer);
  return data({ ...answer, ok: true as const, fieldErrors: {} as Record<string, string[]>, formError: null });
}

const REPORT_COLUMNS = ["delivered", "opened", "clicked", "unsubscribed", "excluded"] as const;

export default function AnnouncementPage() {
  const t = useT();
  const dates = useDates();
  const locale = useLocale();
  const { announcement: a, segments, audience, preview, previewAs, stages, editable, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saving = actionData?.intent === "save";
  const values = saving && !actionData.ok ? actionData.values : { ...a, channels: [a.inApp ? "in_app" : "", a.email ? "email" : ""].filter(Boolean) };
  const errors = (actionData && !actionData.ok ? actionData.fieldErrors : {}) as Record<string, string[] | undefined>;
  // The reader's language first, as the list shows it: the same announcement keeps one name between the two pages.
  const title = (locale === "en" ? a.titleEn || a.titleVi : a.titleVi || a.titleEn) || t("announcements.untitled");
  const intentButton = (intent: string, label: MessageKey, primary = false) => <PostButton fields={{ intent }} className={primary ? "button button--primary" : "button"} label={t(label)} />;
  return (
    <div className="stack">
      <p>
        <Link to="/staff/announcements">{t("announcements.title")}</Link>
      </p>
      <div className="page-head">
        <h1>{title}</h1>
        <span className="badge">{t(`announcement.status.${a.status}`)}</span>
      </div>
      {a.status === "scheduled" && a.scheduledAt ? (
        <p>{a.localWall ? t("announcement.scheduledTheirTime", { when: dates.wall(a.localWall) }) : t("announcement.scheduledFor", { when: dates.dateTime(a.scheduledAt) })}</p>
      ) : null}
      {actionData?.formError ? (
        <p role="alert" className="notice notice--error">
          {actionData.formError}
        </p>
      ) : null}
      {actionData?.ok && actionData.intent === "test-send" ? (
        <p role="status" className="notice notice--success">
          {t("announcement.testSent")}
        </p>
      ) : null}
      {(actionData?.ok && saving) || params.get("saved") ? (
        <p role="status" className="notice notice--success">
          {t("announcement.saved")}
        </p>
      ) : null}

      <section className="card stack" aria-labelledby="ann-progress">
        <h2 id="ann-progress">{t("announcements.col.progress")}</h2>
        <p>{t("announcements.progress", a.counts)}</p>
        {a.counts.waitingForHours ? <p className="muted">{t("contactHours.waiting", { count: a.counts.waitingForHours })}</p> : null}
        {audience ? (
          <>
            <p>{t("announcement.audience.counts", audience)}</p>
            <p className="muted small">{t("announcement.audience.scope")}</p>
          </>
        ) : null}
        <div className="actions">
          {editable ? intentButton("send-now", "announcement.sendNow", true) : null}
          {a.status === "scheduled" ? intentButton("unschedule", "announcement.unschedule") : null}
          {a.status === "sending" ? intentButton("pause", "announcement.pause") : null}
          {a.status === "paused" ? intentButton("resume", "announcement.resume", true) : null}
          {intentButton("test-send", "announcement.testSend")}
          {intentButton("duplicate", "announcement.duplicate")}
        </div>
        {editable ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="schedule" />
            <div className="field">
              <label htmlFor="scheduledAt">{t("announcement.scheduleAt", { zone: timeZone })}</label>
              <input id="scheduledAt" name="scheduledAt" type="datetime-local" aria-describedby={errors.scheduledAt ? "scheduledAt-error" : undefined} />
              <FieldErrors id="scheduledAt-error" errors={errors.scheduledAt} translate={(e) => translateError(t, e)} />
            </div>
            <label className="checkbox">
              <input type="checkbox" name="theirTime" /> {t("announcement.theirTime")}
            </label>
            <p>
              <button type="submit" className="button">
                {t("announcement.schedule")}
              </button>
            </p>
          </Form>
        ) : null}
      </section>

      {editable ? (
        <Form method="post" className="card stack">
          <input type="hidden" name="intent" value="save" />
          <AnnouncementFields values={values} errors={saving ? errors : {}} segments={segments} />
          <p className="actions">
            <button type="submit" className="button button--primary">
              {t("announcement.saveDraft")}
            </button>
          </p>
        </Form>
      ) : (
        <p className="notice">{t("announcement.readOnly")}</p>
      )}

      <section className="card stack" aria-labelledby="ann-preview">
        <h2 id="ann-preview">{t("announcement.preview")}</h2>
        <Form method="get" className="actions">
          <div className="field">
            <label htmlFor="as">{t("announcement.preview.member")}</label>
            <input id="as" name="as" defaultValue={previewAs} />
          </div>
          <button type="submit" className="button">
            {t("announcement.preview.show")}
          </button>
        </Form>
        {previewAs && !preview ? <p className="muted">{t("announcement.preview.notFound")}</p> : null}
        {preview ? (
          <article className="stack" lang={preview.lang}>
            <p className="muted small">{t("announcement.preview.as", { name: preview.member.displayName, lang: t(`announcement.lang.${preview.lang}`) })}</p>
            <h3>{preview.title}</h3>
            {/* Safe: rendered by the server's markdown renderer (html: false), variables escaped. */}
            <div className="prose" dangerouslySetInnerHTML={{ __html: preview.html }} />
          </article>
        ) : null}
      </section>

      {!editable ? (
        <section className="card stack" aria-labelledby="ann-report">
          <h2 id="ann-report">{t("announcement.report")}</h2>
          {stages.length ? (
            // Nothing in it takes focus: the box itself does, so a keyboard can scroll it on a phone.
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="ann-report">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t("announcement.report.stage")}</th>
                    {REPORT_COLUMNS.map((c) => (
                      <th key={c} scope="col" className="num">
                        {t(`announcement.report.${c}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {stages.map((s) => (
                    <tr key={s.stage}>
                      <th scope="row">{t(`stage.${s.stage}` as MessageKey)}</th>
                      {REPORT_COLUMNS.map((c) => (
                        <td key={c} className="num">
                          {s[c]}
                        </td>
                      ))}
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">{t("announcement.report.total")}</th>
                    {REPORT_COLUMNS.map((c) => (
                      <td key={c} className="num">
                        {stages.reduce((sum, s) => sum + s[c], 0)}
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">{t("announcement.report.none")}</p>
          )}
        </section>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
