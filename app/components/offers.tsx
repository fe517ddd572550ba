import { Form, Link, useFetcher, useLocation } from "@remix-run/react";
import { FieldErrors } from "~/components/field";
import { translateError } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/en";
import { useDates, useLocale, useT } from "~/utils/i18n";

type Values = Record<string, string>;
type Errors = Record<string, string[] | undefined>;

export const OFFER_KIND_OPTIONS = ["discount_code", "free_service", "gift", "early_access"] as const;
export const OFFER_CODE_MODE_OPTIONS = ["shared", "unique", "list"] as const;

/** An offer's text in the reader's language (the other one when empty). */
export function offerText(offer: { titleVi: string; titleEn: string; descriptionVi?: string; descriptionEn?: string }, locale: string) {
  const en = locale === "en";
  return {
    title: (en ? offer.titleEn : offer.titleVi) || offer.titleVi || offer.titleEn,
    description: (en ? offer.descriptionEn : offer.descriptionVi) || offer.descriptionVi || offer.descriptionEn || "",
  };
}

/** The offer's fields, for creating and editing; `issued` locks the code mode (members hold those codes). */
export function OfferForm({ values, errors, submit, issued = false, editing = false }: { values: Values; errors?: Errors; submit: string; issued?: boolean; editing?: boolean }) {
  const t = useT();
  const error = (name: string) => errors?.[name];
  const described = (name: string) => (error(name) ? { "aria-invalid": true as const, "aria-describedby": `offer-${name}-error` } : {});
  const errorsOf = (name: string) => <FieldErrors id={`offer-${name}-error`} errors={error(name)} translate={(e) => translateError(t, e)} />;
  const text = (name: string, label: MessageKey, textarea = false) => (
    <div className="field">
      <label htmlFor={`offer-${name}`}>{t(label)}</label>
      {textarea ? (
        <textarea id={`offer-${name}`} name={name} rows={3} required defaultValue={values[name] ?? ""} {...described(name)} />
      ) : (
        <input id={`offer-${name}`} name={name} required defaultValue={values[name] ?? ""} {...described(name)} />
      )}
      {errorsOf(name)}
    </div>
  );
  return (
    <Form method="post" className="stack">
      <input type="hidden" name="intent" value="save" />
      <div className="two-columns two-columns--pairs">
        {text("titleVi", "offers.titleVi")}
        {text("titleEn", "offers.titleEn")}
        {text("descriptionVi", "offers.descriptionVi", true)}
        {text("descriptionEn", "offers.descriptionEn", true)}
      </div>
      <div className="two-columns">
        <div className="field">
          <label htmlFor="offer-kind">{t("offers.kind")}</label>
          <select id="offer-kind" name="kind" defaultValue={values.kind ?? "discount_code"} {...described("kind")}>
            {OFFER_KIND_OPTIONS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`offer.kind.${kind}`)}
              </option>
            ))}
          </select>
          {errorsOf("kind")}
        </div>
        <div className="field">
          <label htmlFor="offer-validFrom">{t("offers.validFrom")}</label>
          <input id="offer-validFrom" name="validFrom" type="date" required defaultValue={values.validFrom ?? ""} {...described("validFrom")} />
          {errorsOf("validFrom")}
        </div>
        <div className="field">
          <label htmlFor="offer-validUntil">{t("offers.validUntil")}</label>
          <input id="offer-validUntil" name="validUntil" type="date" required defaultValue={values.validUntil ?? ""} {...described("validUntil")} />
          {errorsOf("validUntil")}
        </div>
      </div>
      <fieldset className="checks" aria-describedby={error("codeMode") ? "offer-codeMode-error" : undefined}>
        <legend>{t("offers.codeMode")}</legend>
        {OFFER_CODE_MODE_OPTIONS.map((mode) => (
          <label key={mode} className="check">
            <input type="radio" name="codeMode" value={mode} defaultChecked={(values.codeMode ?? "unique") === mode} disabled={issued && values.codeMode !== mode} />{" "}
            {t(`offer.codeMode.${mode}`)}
          </label>
        ))}
        {errorsOf("codeMode")}
      </fieldset>
      <div className="field">
        <label htmlFor="offer-sharedCode">{t("offers.sharedCode")}</label>
        <input id="offer-sharedCode" name="sharedCode" autoCapitalize="characters" spellCheck={false} defaultValue={values.sharedCode ?? ""} {...described("sharedCode")} />
        {errorsOf("sharedCode")}
      </div>
      <div className="field">
        <label htmlFor="offer-codes">{t(editing ? "offers.codesMore" : "offers.codes")}</label>
        <textarea id="offer-codes" name="codes" rows={4} spellCheck={false} defaultValue={values.codes ?? ""} {...described("codes")} />
        {errorsOf("codes")}
      </div>
      <p>
        <button type="submit" className="button button--primary">
          {submit}
        </button>
      </p>
    </Form>
  );
}

/** The one line of dates a grant shows: used on, expired on, valid from or valid until, in the one date format. */
function offerDates(
  t: ReturnType<typeof useT>,
  dates: ReturnType<typeof useDates>,
  grant: { state: string; redeemedAt: string | Date | null; offer: { validFrom: string | Date; validUntil: string | Date } },
) {
  if (grant.state === "redeemed" && grant.redeemedAt) return t("offers.usedOn", { date: dates.date(grant.redeemedAt) });
  if (grant.state === "expired") return t("offers.expiredOn", { date: dates.date(grant.offer.validUntil) });
  if (grant.state === "upcoming") return t("offers.from", { date: dates.date(grant.offer.validFrom) });
  return t("offers.until", { date: dates.date(grant.offer.validUntil) });
}

export interface MemberOffer {
  id: string;
  state: "usable" | "upcoming" | "expired" | "redeemed";
  revealed: boolean;
  code: string | null;
  redeemedAt: string | Date | null;
  offer: { titleVi: string; titleEn: string; descriptionVi: string; descriptionEn: string; kind: string; validFrom: string | Date; validUntil: string | Date };
}

/** "Offers for you": each offer in the reader's language, its dates in the one format, the code once opened. */
export function OffersForYou({ offers, headingId, heading }: { offers: MemberOffer[]; headingId: string; heading?: "h2" | "h3" }) {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const location = useLocation();
  const Heading = heading ?? "h3";
  if (!offers.length) return <p className="muted">{t("offers.forYouNone")}</p>;
  return (
    <ul className="plain-list stack" aria-labelledby={headingId}>
      {offers.map((grant) => {
        const { title, description } = offerText(grant.offer, locale);
        const usable = grant.state === "usable" || grant.state === "upcoming";
        return (
          <li key={grant.id} className={`offer-card offer-card--${grant.state}`}>
            <Heading className="offer-card__title">{title}</Heading>
            <p className="muted small">
              {t(`offer.kind.${grant.offer.kind}` as MessageKey)} · <span className="badge">{t(`offer.state.${grant.state}`)}</span>
            </p>
            <p>{description}</p>
            <p className="small">{offerDates(t, dates, grant)}</p>
            {usable ? (
              grant.revealed ? (
                grant.code ? (
                  <p>
                    {t("offers.yourCode")}: <code className="offer-code">{grant.code}</code>
                  </p>
                ) : (
                  <p className="small">{t("offers.noCodeNeeded")}</p>
                )
              ) : (
                <Form method="post" action="/profile/offers">
                  <input type="hidden" name="grantId" value={grant.id} />
                  <input type="hidden" name="redirectTo" value={location.pathname} />
                  <button type="submit" className="button">
                    {t("offers.reveal")}
                  </button>
                </Form>
              )
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The report's three column heads, as the list and the offer's page show them. */
export function CountHeads() {
  const t = useT();
  return (
    <>
      {(["offers.issued", "offers.seen", "offers.redeemed"] as const).map((key) => (
        <th key={key} scope="col" className="num">
          {t(key)}
        </th>
      ))}
    </>
  );
}

/** Issued, seen and used, in the heads' order. */
export function CountCells({ counts }: { counts: { issued: number; seen: number; redeemed: number } }) {
  return (
    <>
      <td className="num">{counts.issued}</td>
      <td className="num">{counts.seen}</td>
      <td className="num">{counts.redeemed}</td>
    </>
  );
}

export interface RecordOffer {
  id: string;
  code: string | null;
  state: "usable" | "upcoming" | "expired" | "redeemed";
  issuedAt: string | Date;
  redeemedAt: string | Date | null;
  offer: { id: string; titleVi: string; titleEn: string; validFrom: string | Date; validUntil: string | Date };
}

/** The member's offers on their record, each usable one with "Mark used" (the page's `offer.redeem` intent). */
export function OffersOnRecord({ offers }: { offers: RecordOffer[] }) {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const fetcher = useFetcher<{ ok: boolean; intent: string; formError?: string | null }>();
  const refused = fetcher.data && !fetcher.data.ok ? fetcher.data.formError : null;
  return (
    <section className="card stack" aria-labelledby="record-offers">
      <h2 id="record-offers">{t("offers.onRecord")}</h2>
      {refused ? (
        <p role="alert" className="notice notice--error">
          {refused}
        </p>
      ) : null}
      {offers.length === 0 ? (
        <p className="muted">{t("offers.onRecordNone")}</p>
      ) : (
        <ul className="plain-list record-offers">
          {offers.map((grant) => (
            <li key={grant.id} className="record-offer">
              <span>
                <Link to={`/staff/offers/${grant.offer.id}`}>{offerText(grant.offer, locale).title}</Link> <span className="badge">{t(`offer.state.${grant.state}`)}</span>
              </span>
              <span className="muted small">
                {grant.code ? (
                  <>
                    <code>{grant.code}</code> ·{" "}
                  </>
                ) : null}
                {offerDates(t, dates, grant)}
              </span>
              {grant.state === "usable" ? (
                <fetcher.Form method="post">
                  <input type="hidden" name="intent" value="offer.redeem" />
                  <input type="hidden" name="grantId" value={grant.id} />
                  <button type="submit" className="button" disabled={fetcher.state !== "idle"}>
                    {t("offers.markRedeemed")}
                  </button>
                </fetcher.Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
