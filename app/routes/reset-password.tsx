import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FieldErrors } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ResetPasswordSchema } from "~/modules/auth/schemas";
import { isResetTokenUsable, resetPassword } from "~/modules/auth/password-reset.server";
import { translateError } from "~/i18n/translate";
import { useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token, usable: token ? await isResetTokenUsable(context.services, token) : false };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetPasswordSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password", "confirm"] }), invalid: false }, { status: 400 });
  }
  const result = await resetPassword(context.services, null, submission.value, { ip: context.ip });
  if (!result.ok) {
    // A common password is said beside its field; anything else means the link no longer works.
    if (result.fieldErrors) {
      return data({ result: submission.reply({ fieldErrors: result.fieldErrors, hideFields: ["password", "confirm"] }), invalid: false }, { status: 400 });
    }
    return data({ result: submission.reply({ hideFields: ["password", "confirm"] }), invalid: true }, { status: 400 });
  }
  // Every session of the account ended, this browser's included.
  const blank = context.services.auth.createBlankSessionCookie().serialize();
  throw redirect("/login?notice=password-changed", { headers: { "Set-Cookie": blank } });
}

export default function ResetPasswordPage() {
  const t = useT();
  const { token, usable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "reset",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ResetPasswordSchema),
    shouldValidate: "onBlur",
    // Clear an error while typing, not on blur: a blur that removes an error
    // shifts the layout under the pointer and swallows the click on "submit".
    shouldRevalidate: "onInput",
    defaultValue: { token },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordSchema }),
  });
  if (!usable || actionData?.invalid) {
    return (
      <section className="narrow card" aria-labelledby="reset-title">
        <h1 id="reset-title">{t("reset.title")}</h1>
        <FormError message={t("reset.invalid")} />
        <p>
          <Link to="/forgot-password">{t("reset.askAgain")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow card" aria-labelledby="reset-title">
      <h1 id="reset-title">{t("reset.title")}</h1>
      <Form method="post" {...getFormProps(form)}>
        <FieldErrors id={form.errorId} errors={form.errors} translate={(e) => translateError(t, e)} />
        <input {...getInputProps(fields.token, { type: "hidden" })} key={fields.token.key} />
        <Field field={fields.password} label={t("reset.password")} type="password" autoComplete="new-password" hint={t("signup.passwordHint")} />
        <Field field={fields.confirm} label={t("reset.confirm")} type="password" autoComplete="new-password" />
        <button type="submit" className="button button--primary">
          {t("reset.submit")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
