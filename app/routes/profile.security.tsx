import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FieldErrors } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ChangePasswordSchema } from "~/modules/auth/schemas";
import { changePassword, countSessions, logOutEverywhere } from "~/modules/auth/accounts.server";
import { statusOf } from "~/modules/commands/failure";
import { requireUser } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";
import { translator, translateError } from "~/i18n/translate";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  return { sessions: await countSessions(context.services, user.id) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, session } = requireUser(context, request);
  const formData = await request.formData();
  if (formData.get("intent") === "logout-everywhere") {
    const cookie = await logOutEverywhere(context.services, user.id, session.id);
    throw redirect("/login?notice=logged-out-everywhere", { headers: { "Set-Cookie": cookie } });
  }
  const submission = parseWithZod(formData, { schema: ChangePasswordSchema });
  const hidden = { hideFields: ["currentPassword", "password", "confirm"] };
  if (submission.status !== "success") return data({ result: submission.reply(hidden), changed: false }, { status: 400 });
  const actor = { id: user.id, role: user.role };
  const { currentPassword, password } = submission.value;
  const result = await changePassword(context.services, actor, { currentSessionId: session.id, currentPassword, password }, { ip: context.ip });
  if (!result.ok) {
    const t = translator(context.locale);
    // A wrong current password and a common new one come with their field; a pause is the form's.
    const formErrors = result.fieldErrors ? [] : [t("error.rateLimited", { seconds: result.retryAfterSeconds ?? 60 })];
    const reply = submission.reply({ fieldErrors: result.fieldErrors ?? {}, formErrors, ...hidden });
    return data({ result: reply, changed: false }, { status: statusOf(result) });
  }
  return { result: submission.reply({ resetForm: true }), changed: true };
}

export default function SecurityPage() {
  const t = useT();
  const { sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "change-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ChangePasswordSchema),
    shouldValidate: "onBlur",
    // Clear an error while typing, not on blur: a blur that removes an error
    // shifts the layout under the pointer and swallows the click on "submit".
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }),
  });
  return (
    <div className="stack">
      <h1>{t("profile.security")}</h1>
      <section className="card" aria-labelledby="security-title">
        <h2 id="security-title">{t("profile.changePassword")}</h2>
        {actionData?.changed ? (
          <p role="status" className="notice notice--success">
            {t("profile.passwordChanged")}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(form)}>
          <FieldErrors id={form.errorId} errors={form.errors} translate={(e) => translateError(t, e)} />
          <Field field={fields.currentPassword} label={t("profile.currentPassword")} type="password" autoComplete="current-password" />
          <Field field={fields.password} label={t("profile.newPassword")} type="password" autoComplete="new-password" hint={t("signup.passwordHint")} />
          <Field field={fields.confirm} label={t("profile.confirmPassword")} type="password" autoComplete="new-password" />
          <button type="submit" className="button button--primary">
            {t("profile.savePassword")}
          </button>
        </Form>
        </section>
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t("profile.sessions")}</h2>
        <p>{t("profile.sessionsCount", { count: sessions })}</p>
        <Form method="post">
          <button type="submit" name="intent" value="logout-everywhere" className="button">
            {t("profile.logoutEverywhere")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
