import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { Field, FieldErrors } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ForgotPasswordSchema } from "~/modules/auth/schemas";
import { requestPasswordReset } from "~/modules/auth/password-reset.server";
import { translator, translateError } from "~/i18n/translate";
import { useT } from "~/utils/i18n";

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ForgotPasswordSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sentTo: null }, { status: 400 });
  const result = await requestPasswordReset(context.services, null, submission.value, { ip: context.ip });
  if (!result.ok) {
    const t = translator(context.locale);
    return data({ result: submission.reply({ formErrors: [t("forgot.rateLimited")] }), sentTo: null }, { status: 429 });
  }
  return { result: submission.reply({ resetForm: true }), sentTo: submission.value.email };
}

export default function ForgotPasswordPage() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "forgot",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ForgotPasswordSchema),
    shouldValidate: "onBlur",
    // Clear an error while typing, not on blur: a blur that removes an error
    // shifts the layout under the pointer and swallows the click on "submit".
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
  });
  return (
    <section className="narrow card" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t("forgot.title")}</h1>
      {actionData?.sentTo ? (
        <p role="status" className="notice notice--success">
          {t("forgot.sent", { email: actionData.sentTo })}
        </p>
      ) : (
        <p>{t("forgot.intro")}</p>
      )}
      <Form method="post" {...getFormProps(form)}>
        <FieldErrors id={form.errorId} errors={form.errors} translate={(e) => translateError(t, e)} />
        <Field field={fields.email} label={t("forgot.email")} type="email" autoComplete="email" />
        <button type="submit" className="button button--primary">
          {t("forgot.submit")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
