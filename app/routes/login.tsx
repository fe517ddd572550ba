import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { Field, FieldErrors } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LoginSchema } from "~/modules/auth/schemas";
import { logIn } from "~/modules/auth/accounts.server";
import { requestMeta, requireAnonymous } from "~/utils/auth.server";
import { translator, translateError } from "~/i18n/translate";
import { useT } from "~/utils/i18n";
import { suspensionEnd } from "~/utils/standing";
import { dateFormat } from "~/i18n/dates";

export const meta: MetaFunction = () => [{ title: "Rapport" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAnonymous(context);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: LoginSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const result = await logIn(context.services, submission.value, requestMeta(context));
  if (!result.ok) {
    const t = translator(context.locale);
    const message =
      result.error === "rateLimited"
        ? t("login.rateLimited", { minutes: Math.ceil((result.retryAfterSeconds ?? 60) / 60) })
        : result.error === "suspended"
          ? t("login.suspended", { until: suspensionEnd(t, dateFormat(context.locale, context.timeZone), result.suspension), reason: result.suspension.reason })
          : t("login.invalid");
    return data(
      { result: submission.reply({ formErrors: [message], hideFields: ["password"] }) },
      { status: result.error === "rateLimited" ? 429 : result.error === "suspended" ? 403 : 400 },
    );
  }
  throw redirect(submission.value.redirectTo ?? "/", { headers: { "Set-Cookie": result.sessionCookie } });
}

export default function LoginPage() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "login",
    lastResult: actionData?.result,
    constraint: getZodConstraint(LoginSchema),
    shouldValidate: "onBlur",
    // Clear an error while typing, not on blur: a blur that removes an error
    // shifts the layout under the pointer and swallows the click on "submit".
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  });
  const notice = searchParams.get("notice");
  return (
    <section className="narrow card" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      {notice === "password-changed" ? <p className="notice">{t("login.passwordChanged")}</p> : null}
      {notice === "logged-out-everywhere" ? <p className="notice">{t("profile.loggedOutEverywhere")}</p> : null}
      <Form method="post" {...getFormProps(form)} action="/login">
        <FieldErrors id={form.errorId} errors={form.errors} translate={(e) => translateError(t, e)} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field field={fields.email} label={t("login.email")} type="email" autoComplete="email" autoFocus />
        <Field field={fields.password} label={t("login.password")} type="password" autoComplete="current-password" />
        <button type="submit" className="button button--primary">
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("login.forgot")}</Link>
      </p>
      <p>
        {t("login.noAccount")} <Link to="/signup">{t("nav.signup")}</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
