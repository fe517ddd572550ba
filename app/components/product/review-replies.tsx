import { Form } from "@remix-run/react";
import { MarkdownEditor } from "~/components/markdown-editor";
import { REPORT_REASONS } from "~/modules/products/product-schemas";
import { useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import { IntentFields } from "./review-bits";
import type { ActionResult } from "./use-product-page";

/** Reporting a review to the moderators: a reason and a note, then a thank-you in place of the form. Opens on its own answer. */
export function ReportReview({ reviewId, state }: { reviewId: string; state: ActionResult | null }) {
  const t = useT();
  return (
    <details open={!!state}>
      <summary>{t("review.report")}</summary>
      {state?.done ? (
        <p role="status" className="notice notice--success">
          {t(state.done)}
        </p>
      ) : (
        <Form method="post" className="stack">
          <IntentFields intent="report" reviewId={reviewId} />
          <FormError message={state?.formError} />
          <div className="field">
            <label htmlFor={`report-${reviewId}-reason`}>{t("review.reportReason")}</label>
            <select id={`report-${reviewId}-reason`} name="reason" required>
              {REPORT_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`review.reason.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`report-${reviewId}-note`}>{t("review.reportNote")}</label>
            <input id={`report-${reviewId}-note`} name="note" maxLength={500} />
          </div>
          <button type="submit" className="button">
            {t("review.sendReport")}
          </button>
        </Form>
      )}
    </details>
  );
}

/** Staff's one official response to a review, written or edited in markdown. Opens on its own refused post. */
export function RespondToReview({
  reviewId,
  responded,
  state,
  response,
}: {
  reviewId: string;
  responded: boolean;
  state: ActionResult | null;
  /** The current response's markdown, the editor's starting text. */
  response: string | undefined;
}) {
  const t = useT();
  return (
    <details open={!!state}>
      <summary>{responded ? t("review.editResponse") : t("review.respond")}</summary>
      <Form method="post" className="stack">
        <IntentFields intent="respond" reviewId={reviewId} />
        <FormError message={state?.formError} />
        <MarkdownEditor
          id={`respond-${reviewId}`}
          name="body"
          label={t("review.responseBody")}
          rows={4}
          defaultValue={state?.values.body ?? response ?? ""}
          errors={state?.fieldErrors.body}
        />
        <button type="submit" className="button button--primary">
          {t("review.publishResponse")}
        </button>
      </Form>
    </details>
  );
}
