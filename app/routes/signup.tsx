import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { Field, FieldErrors } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SignupSchema } from "~/modules/auth/schemas";
import { signUp } from "~/modules/auth/signup.server";
import { statusOf } from "~/modules/commands/failure";
import { requestMeta, requireAnonymous } from "~/utils/auth.server";
import { translator, translateError } from "~/i18n/translate";
import { useT } from "~/utils/i18n";

export async function loader({ context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAnonymous(context);
  const submission = parseWithZod(await request.formData(), { schema: SignupSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const result = await signUp(context.services, { ...submission.value, locale: context.locale }, requestMeta(context));
  if (!result.ok) {
    const t = translator(context.locale);
    // A taken email or username and a common password come with their field; the rest is the form's.
    const formErrors = result.fieldErrors ? [] : [t(result.error === "rateLimited" ? "signup.rateLimited" : "error.400.title")];
    const reply = submission.reply({ fieldErrors: result.fieldErrors ?? {}, formErrors, hideFields: ["password"] });
    return data({ result: reply }, { status: statusOf(result) });
  }
  throw redirect("/?welcome=1", { headers: { "Set-Cookie": result.sessionCookie } });
}

export default function SignupPage() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "signup",
    lastResult: actionData?.result,
    constraint: getZodConstraint(SignupSchema),
    shouldValidate: "onBlur",
    // Clear an error while typing, not on blur: a blur that removes an error
    // shifts the layout under the pointer and swallows the click on "submit".
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignupSchema }),
  });
  return (
    <section className="narrow card" aria-labelledby="signup-title">
      <h1 id="signup-title">{t("signup.title")}</h1>
      <Form method="post" {...getFormProps(form)}>
        <FieldErrors id={form.errorId} errors={form.errors} translate={(e) => translateError(t, e)} />
        <Field field={fields.displayName} label={t("signup.displayName")} autoComplete="name" autoFocus />
        <Field field={fields.email} label={t("signup.email")} type="email" autoComplete="email" />
        <Field field={fields.username} label={t("signup.username")} autoComplete="username" hint={t("signup.usernameHint")} />
        <Field
          field={fields.password}
          label={t("signup.password")}
          type="password"
          autoComplete="new-password"
          hint={t("signup.passwordHint")}
        />
        <button type="submit" className="button button--primary">
          {t("signup.submit")}
        </button>
      </Form>
      <p>
        {t("signup.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
