import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { StarDisplay } from "~/components/stars";
import { reportedReviews } from "~/modules/products/reviews.server";
import { dismissReviewReports, setReviewHidden } from "~/modules/products/review-commands.server";
import { refuse } from "~/utils/refusal.server";
import { z } from "zod";
import { requirePermission } from "~/utils/auth.server";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { FormError } from "~/components/form-error";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "review:hide:any");
  return { queue: (await reportedReviews(context.services.db, { id: user.id, role: user.role })) ?? [] };
}

/** A moderator's decision on a reported review: hide it, or dismiss the reports. */
const Decision = z.enum(["hide", "dismiss"]);

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "review:hide:any");
  const actor = { id: user.id, role: user.role };
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const decision = Decision.safeParse(form.decision);
  if (!decision.success) throw new Response("Unknown decision", { status: 400 });
  const reviewId = form.reviewId;
  const ran =
    decision.data === "hide" ? await setReviewHidden(context.services, actor, { reviewId, hidden: true }) : await dismissReviewReports(context.services, actor, { reviewId });
  if (!ran.ok) return refuse(ran, context.locale, { reviewId: reviewId ?? null });
  return redirect("/staff/review-reports");
}

export default function ReviewReports() {
  const t = useT();
  const locale = useLocale();
  const { queue } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>();
  return (
    <div className="stack">
      <h1>{t("reviewReports.title")}</h1>
      <p className="muted">{t("reviewReports.intro")}</p>
      <FormError message={refusal?.formError} />
      {queue.length === 0 ? <p>{t("reviewReports.empty")}</p> : null}
      <ul className="review-list">
        {queue.map(({ review, count, reports }) => (
          <li key={review.id} className="card stack">
            <p>
              <StarDisplay value={review.rating} size="sm" />{" "}
              <Link to={`/products/${review.product.slug}#review-${review.id}`}>
                <strong>{review.title}</strong>
              </Link>{" "}
              <span className="muted">{t("reviewReports.of", { product: localized(review.product, locale).name, name: review.author.displayName || t("member.former") })}</span>{" "}
              <span className="badge">{t("reviewReports.count", { count })}</span>{" "}
              {review.hiddenAt ? <span className="badge badge--staff">{t("review.hiddenBadge")}</span> : null}
            </p>
            {/* Safe: stored output of our markdown renderer. */}
            <div className="prose quote-box" dangerouslySetInnerHTML={{ __html: review.bodyHtml }} />
            <ul className="history">
              {reports.map((r, i) => (
                <li key={i}>
                  {t(`review.reason.${r.reason}` as MessageKey)}
                  {r.note ? `: “${r.note}”` : ""}
                </li>
              ))}
            </ul>
            <Form method="post" className="toolbar">
              <input type="hidden" name="reviewId" value={review.id} />
              <button type="submit" name="decision" value="dismiss" className="button">
                {t("reviewReports.dismiss")}
              </button>
              {review.hiddenAt ? null : (
                <button type="submit" name="decision" value="hide" className="button button--danger">
                  {t("review.hide")}
                </button>
              )}
            </Form>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
