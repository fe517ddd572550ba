import { Form, Link } from "@remix-run/react";
import { Avatar } from "~/components/avatar";
import { StarDisplay } from "~/components/stars";
import { useDates, useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import { IntentFields } from "./review-bits";
import { ReportReview, RespondToReview } from "./review-replies";
import type { ProductPageData, Review, ReviewFormState } from "./use-product-page";

/** One review: stars, title, author and date, body, the official response, and what the viewer may do with it. */
export function ReviewCard({
  review,
  viewerId,
  can,
  response,
  state,
}: {
  review: Review;
  viewerId: string | null;
  can: Pick<ProductPageData["can"], "hide" | "respond">;
  /** The response's markdown, for staff who may edit it. */
  response: string | undefined;
  state: ReviewFormState;
}) {
  const t = useT();
  const dates = useDates();
  const name = review.author.deletedAt ? t("member.former") : review.author.displayName;
  const signedIn = viewerId !== null;
  const own = viewerId === review.author.id;
  return (
    <article className="card review" id={`review-${review.id}`} aria-labelledby={`review-${review.id}-title`}>
      <header className="review__head">
        <StarDisplay value={review.rating} size="sm" />
        <h3 className="review__title" id={`review-${review.id}-title`}>
          {review.title}
        </h3>
        {review.hiddenAt ? <span className="badge badge--staff">{t("review.hiddenBadge")}</span> : null}
      </header>
      <p className="review__head muted small">
        <Avatar name={name} url={review.author.avatar} size="sm" />
        <span>
          {review.author.deletedAt ? name : <Link to={`/community/u/${review.author.username}`}>{name}</Link>}
          {review.verifiedOwner ? (
            <>
              {" "}
              <span className="badge badge--member">✓ {t("review.verifiedOwner")}</span>
            </>
          ) : null}{" "}
          · <time dateTime={new Date(review.createdAt).toISOString()}>{dates.date(review.createdAt)}</time>
          {review.editedAt ? ` · ${t("review.edited")}` : ""}
        </span>
      </p>
      {/* Safe: rendered and stored by our markdown renderer (html: false, link allow-list). */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: review.bodyHtml }} />
      {review.responseHtml ? (
        <section className="review__response" aria-label={t("review.responseFrom", { name: review.responder?.displayName ?? t("app.name") })}>
          <p className="small">
            <strong>{t("review.officialResponse")}</strong>{" "}
            <span className="muted">
              {review.responder?.displayName ?? ""}
              {review.respondedAt ? ` · ${dates.date(review.respondedAt)}` : ""}
              {review.responseEditedAt ? ` · ${t("review.edited")}` : ""}
            </span>
          </p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: review.responseHtml }} />
        </section>
      ) : null}
      <FormError message={state.otherError} />
      <footer className="toolbar">
        <span className="muted small">{t("review.helpfulCount", { count: review.helpfulCount })}</span>
        {signedIn && !own && !review.hiddenAt ? (
          <Form method="post" className="inline-form">
            <IntentFields intent="helpful" reviewId={review.id} />
            <button type="submit" className="button" aria-pressed={review.votedHelpful}>
              {t("review.helpful")}
            </button>
          </Form>
        ) : null}
        {signedIn && !own ? <ReportReview reviewId={review.id} state={state.report} /> : null}
        {can.hide ? (
          <Form method="post" className="inline-form">
            <IntentFields intent={review.hiddenAt ? "restore" : "hide"} reviewId={review.id} />
            <button type="submit" className={review.hiddenAt ? "button" : "button button--danger"}>
              {review.hiddenAt ? t("review.restore") : t("review.hide")}
            </button>
          </Form>
        ) : null}
      </footer>
      {can.respond ? <RespondToReview reviewId={review.id} responded={!!review.responseHtml} state={state.respond} response={response} /> : null}
    </article>
  );
}
