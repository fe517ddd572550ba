import { translateError } from "~/i18n/translate";
import { useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import type { ThreadPageView } from "./use-thread-page";

/** The answer to an action other than a reply (a reply shows its own in its form). */
export function ActionNotice({ actionData }: Pick<ThreadPageView, "actionData">) {
  const t = useT();
  return (
    <>
      {actionData && "flagged" in actionData && actionData.flagged ? (
        <p role="status" className="notice notice--success">
          {t("forum.flagged")}
        </p>
      ) : null}
      <FormError
        message={
          actionData && !actionData.ok && actionData.intent !== "reply"
            ? (actionData.formError ?? translateError(t, Object.values(actionData.fieldErrors)[0]?.[0] ?? "forum.actionError.invalid"))
            : null
        }
      />
    </>
  );
}
