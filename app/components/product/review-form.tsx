import { Form } from "@remix-run/react";
import { FieldErrors } from "~/components/field";
import { MarkdownEditor } from "~/components/markdown-editor";
import { StarRatingInput } from "~/components/stars";
import { translateError } from "~/i18n/translate";
import { useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import { IntentFields } from "./review-bits";
import type { ActionResult } from "./use-product-page";

/** Writing a review or editing one's own: stars, title and markdown body, re-filled with what was sent when the post was refused. */
export function ReviewForm({
  intent,
  errors,
  initial,
  reviewId,
  busy,
}: {
  intent: "write" | "edit";
  errors: ActionResult | null;
  initial: Record<string, string>;
  reviewId: string | null;
  busy: boolean;
}) {
  const t = useT();
  const values = errors?.values ?? initial;
  const prefix = `${intent}-review`;
  return (
    // Keyed so that switching from writing to editing (or to another review) starts from fresh default values.
    <Form method="post" className="stack" key={`${intent}-${reviewId ?? "new"}`}>
      <IntentFields intent={intent} reviewId={reviewId} />
      <FormError message={errors?.formError} />
      <StarRatingInput name="rating" legend={t("review.yourRating")} defaultValue={Number(values.rating) || undefined} errors={errors?.fieldErrors.rating} />
      <div className="field">
        <label htmlFor={`${prefix}-title`}>{t("review.title")}</label>
        <input
          id={`${prefix}-title`}
          name="title"
          defaultValue={values.title}
          maxLength={120}
          required
          aria-invalid={errors?.fieldErrors.title ? true : undefined}
          aria-describedby={errors?.fieldErrors.title ? `${prefix}-title-error` : undefined}
        />
        <FieldErrors id={`${prefix}-title-error`} errors={errors?.fieldErrors.title} translate={(e) => translateError(t, e)} />
      </div>
      <MarkdownEditor id={`${prefix}-body`} name="body" label={t("review.body")} defaultValue={values.body} errors={errors?.fieldErrors.body} rows={6} />
      <button type="submit" className="button button--primary" disabled={busy}>
        {intent === "write" ? t("review.submit") : t("review.saveEdit")}
      </button>
    </Form>
  );
}
