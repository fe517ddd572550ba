import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { DataTable, PostButton } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldErrors } from "~/components/field";
import { CountCells, CountHeads, OfferForm, offerText } from "~/components/offers";
import { getOfferReport, issueOffer, markOfferRedeemed, offerCandidates, updateOffer } from "~/modules/offers/offers.server";
import { listSegments } from "~/modules/segments/segments.server";
import { calendarDay } from "~/modules/calendar";
import { foundOr404, requireStaffActor, staffFormIntent } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";
import { translateError } from "~/i18n/translate";
import { useDates, useLocale, useT } from "~/utils/i18n";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = requireStaffActor(context, request);
  const report = foundOr404(await getOfferReport(context.services, actor, params.offerId ?? ""));
  const [segments, candidates] = await Promise.all([listSegments(context.services, actor), offerCandidates(context.services, actor)]);
  const { offer } = report;
  const values = {
    titleVi: offer.titleVi,
    titleEn: offer.titleEn,
    descriptionVi: offer.descriptionVi,
    descriptionEn: offer.descriptionEn,
    kind: offer.kind,
    codeMode: offer.codeMode,
    sharedCode: offer.sharedCode ?? "",
    validFrom: calendarDay(offer.validFrom, context.timeZone),
    validUntil: calendarDay(offer.validUntil, context.timeZone),
  };
  return { ...report, values, segments: segments.map((s) => ({ id: s.id, name: s.name, count: s.count })), candidates };
}

const Intent = z.enum(["save", "issue", "redeem"]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, form: data, intent } = await staffFormIntent(context, request, Intent);
  const form = Object.fromEntries(data) as Record<string, string>;
  const offerId = params.offerId ?? "";
  const origin = { ip: context.ip };
  if (intent === "save") {
    const ran = await updateOffer(context.services, actor, { ...form, offerId, timeZone: context.timeZone }, origin);
    if (!ran.ok) return refuse(ran, context.locale, { intent: "save" as const, values: form, result: null });
    return { intent: "save" as const, ok: true as const, values: null, result: null, fieldErrors: {} as Record<string, string[]>, formError: null };
  }
  if (intent === "issue") {
    const ran = await issueOffer(context.services, actor, { offerId, segmentId: form.segmentId, memberIds: data.getAll("memberIds").map(String) }, origin);
    if (!ran.ok) return refuse(ran, context.locale, { intent: "issue" as const, values: null, result: null });
    return { intent: "issue" as const, ok: true as const, values: null, result: { issued: ran.issued, issuing: ran.issuing, excluded: ran.excluded, already: ran.already }, fieldErrors: {} as Record<string, string[]>, formError: null };
  }
  const ran = await markOfferRedeemed(context.services, actor, { grantId: form.grantId }, origin);
  if (!ran.ok) return refuse(ran, context.locale, { intent: "redeem" as const, values: null, result: null });
  return { intent: "redeem" as const, ok: true as const, values: null, result: null, fieldErrors: {} as Record<string, string[]>, formError: null };
}

export default function OfferPage() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const [search] = useSearchParams();
  const { offer, canChange, total, stages, list, grants, values, segments, candidates, issuedToAnyone } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const { title, description } = offerText(offer, locale);
  const issueErrors = done?.intent === "issue" ? done.fieldErrors : undefined;
  const notice = (intent: string) =>
    done?.intent === intent && done.formError ? (
      <p role="alert" className="notice notice--error">
        {done.formError}
      </p>
    ) : null;
  return (
    <div className="stack">
      <p>
        <Link to="/staff/offers">{t("offers.title")}</Link>
      </p>
      <h1>{title}</h1>
      <p className="muted">
        {t(`offer.kind.${offer.kind}`)} · {t("offers.validRange", { from: dates.date(offer.validFrom), until: dates.date(offer.validUntil) })} · {t(`offer.codeMode.${offer.codeMode}`)}
        {offer.sharedCode ? (
          <>
            {" "}
            · <code>{offer.sharedCode}</code>
          </>
        ) : null}
      </p>
      <p>{description}</p>
      {search.get("created") ? (
        <p role="status" className="notice notice--success">
          {t("offers.created")}
        </p>
      ) : null}

      <section className="card stack" aria-labelledby="offer-report">
        <h2 id="offer-report">{t("offers.report")}</h2>
        {list ? <p>{t("offers.listStock", { free: list.free, total: list.total })}</p> : null}
        {total.issued === 0 ? (
          <p className="muted">{t("offers.noGrants")}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="muted small">
                {t("offers.byStage")}. {t("offers.countsCaption")}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("offers.stage")}</th>
                  <CountHeads />
                </tr>
              </thead>
              <tbody>
                {stages.map((s) => (
                  <tr key={s.stage}>
                    <th scope="row">{t(`stage.${s.stage}`)}</th>
                    <CountCells counts={s} />
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t("offers.total")}</th>
                  <CountCells counts={total} />
                </tr>
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card stack" aria-labelledby="offer-issue">
        <h2 id="offer-issue">{t("offers.issueTitle")}</h2>
        <p className="muted">{t("offers.issueIntro")}</p>
        {done?.intent === "issue" && done.result ? (
          <p role="status" className="notice notice--success">
            {t(done.result.issuing ? "offers.issuingResult" : "offers.issuedResult", done.result)}
          </p>
        ) : null}
        {notice("issue")}
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="issue" />
          <div className="field">
            <label htmlFor="issue-segment">{t("offers.segment")}</label>
            <select id="issue-segment" name="segmentId" defaultValue="" aria-describedby={issueErrors?.audience ? "issue-audience-error" : undefined}>
              <option value="">{t("offers.noSegment")}</option>
              {segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.count === null ? s.name : `${s.name} (${s.count})`}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="stack">
            <legend>{t("offers.members")}</legend>
            <p className="muted small">{t("offers.membersHint")}</p>
            {candidates.length ? (
              <ul className="plain-list offer-members">
                {candidates.map((m) => (
                  <li key={m.id}>
                    <label className="checkbox">
                      <input type="checkbox" name="memberIds" value={m.id} /> {m.displayName} <span className="muted small">({t(`stage.${m.stage}`)})</span>
                    </label>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t("offers.noMembers")}</p>
            )}
          </fieldset>
          <FieldErrors id="issue-audience-error" errors={issueErrors?.audience} translate={(e) => translateError(t, e)} />
          <p>
            <button type="submit" className="button button--primary">
              {t("offers.issue")}
            </button>
          </p>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="offer-recipients">
        <h2 id="offer-recipients">{t("offers.recipients")}</h2>
        {done?.intent === "redeem" && done.ok ? (
          <p role="status" className="notice notice--success">
            {t("offers.markedRedeemed")}
          </p>
        ) : null}
        {notice("redeem")}
        {grants.length === 0 ? (
          <p className="muted">{t("offers.noGrants")}</p>
        ) : (
          <DataTable className="table offer-grants" heads={[t("offers.member"), t("offers.code"), t("offers.issued"), t("offers.seen"), t("offers.redeemed")]}>
            {grants.map((g) => (
              <tr key={g.id}>
                <td>
                  <Link to={`/staff/members/${g.member.id}`}>{g.member.displayName}</Link>
                </td>
                <td>{g.code ? <code>{g.code}</code> : <span className="muted">{t("offers.sharedCodeShort")}</span>}</td>
                <td>{dates.date(g.issuedAt)}</td>
                <td>{g.seenAt ? dates.date(g.seenAt) : "—"}</td>
                <td>
                  {g.redeemedAt ? (
                    <>
                      {dates.date(g.redeemedAt)}{" "}
                      <span className="muted small">{g.redeemedSource?.startsWith("shop:") ? t("offers.bySource.shop") : t("offers.bySource.staff")}</span>
                    </>
                  ) : (
                    <PostButton fields={{ intent: "redeem", grantId: g.id }} className="button button--ghost" label={t("offers.markRedeemed")} />
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section className="card stack" aria-labelledby="offer-edit">
        <h2 id="offer-edit">{t("offers.edit")}</h2>
        {canChange ? (
          <>
            {done?.intent === "save" && done.ok ? (
              <p role="status" className="notice notice--success">
                {t("offers.saved")}
              </p>
            ) : null}
            {notice("save")}
            <OfferForm
              key={done?.intent === "save" && done.ok ? "saved" : "editing"}
              values={done?.intent === "save" && done.values ? done.values : values}
              errors={done?.intent === "save" ? done.fieldErrors : undefined}
              submit={t("offers.save")}
              issued={issuedToAnyone}
              editing
            />
          </>
        ) : (
          <p className="muted">{t("offers.readOnly")}</p>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
