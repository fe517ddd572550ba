import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useEffect, useState } from "react";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldErrors } from "~/components/field";
import { CANNED_VARIABLES } from "~/modules/chat/canned";
import { deleteCannedReply, listCannedReplies, saveCannedReply } from "~/modules/chat/canned.server";
import { requirePermission } from "~/utils/auth.server";
import { statusOf } from "~/modules/commands/failure";
import { useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/en";
import { isAdminRole } from "~/modules/policy/permissions";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () => [{ title: "Canned replies · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  return { replies: await listCannedReplies(context.services.db, user), isAdmin: isAdminRole(user.role) };
}

type FieldErrorMap = Record<string, string[] | undefined>;

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const form = await request.formData();
  const id = String(form.get("id") ?? "") || undefined;
  const formId = id ?? "new";
  if (form.get("intent") === "delete" && id) {
    const result = await deleteCannedReply(context.services, user, { id }, { ip: context.ip });
    if (!result.ok) return data({ ok: false as const, formId, message: `canned.error.${result.error}`, fieldErrors: {} as FieldErrorMap }, { status: statusOf(result) });
    return { ok: true as const, formId, message: "canned.deleted", fieldErrors: {} as FieldErrorMap };
  }
  const result = await saveCannedReply(context.services, user, { ...Object.fromEntries(form), id }, { ip: context.ip });
  if (!result.ok) {
    if (result.error === "invalid") return data({ ok: false as const, formId, message: null, fieldErrors: (result.fieldErrors ?? {}) as FieldErrorMap }, { status: 400 });
    return data({ ok: false as const, formId, message: `canned.error.${result.error}`, fieldErrors: {} as FieldErrorMap }, { status: statusOf(result) });
  }
  return { ok: true as const, formId, message: "canned.saved", fieldErrors: {} as FieldErrorMap };
}

type Reply = ReturnType<typeof useLoaderData<typeof loader>>["replies"][number];

export default function CannedReplies() {
  const t = useT();
  const { replies, isAdmin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorsFor = (formId: string) => (result && !result.ok && result.formId === formId ? result.fieldErrors : undefined);
  const refusalFor = (formId: string) => (result && !result.ok && result.formId === formId && result.message ? (result.message as MessageKey) : undefined);
  const savedFor = (formId: string) => (result?.ok && result.formId === formId ? result : undefined);
  return (
    <div className="stack">
      <h1>{t("canned.title")}</h1>
      <p className="muted">{t("canned.intro")}</p>
      <p className="small">
        {t("canned.variables")}{" "}
        {CANNED_VARIABLES.map((v, n) => (
          <span key={v}>
            {n ? ", " : ""}
            <code>{`{{${v}}}`}</code>
          </span>
        ))}
      </p>
      {result?.ok ? (
        <p role="status" className="notice notice--success">
          {t(result.message as MessageKey)}
        </p>
      ) : null}
      {replies.length === 0 ? <p className="muted">{t("canned.empty")}</p> : null}
      {replies.map((reply) => (
        <details key={reply.id} className="card">
          <summary>
            {reply.title} <span className="badge">{reply.shared ? t("canned.shared") : t("canned.mine")}</span>
          </summary>
          {reply.editable ? <CannedForm reply={reply} isAdmin={isAdmin} errors={errorsFor(reply.id)} refusal={refusalFor(reply.id)} saved={savedFor(reply.id)} /> : <p className="chat__body">{reply.body}</p>}
        </details>
      ))}
      <section className="card" aria-labelledby="canned-new">
        <h2 id="canned-new">{t("canned.new")}</h2>
        <CannedForm isAdmin={isAdmin} errors={errorsFor("new")} refusal={refusalFor("new")} saved={savedFor("new")} />
      </section>
    </div>
  );
}

function CannedForm({ reply, isAdmin, errors, refusal, saved }: { reply?: Reply; isAdmin: boolean; errors?: FieldErrorMap; refusal?: MessageKey; saved?: object }) {
  const t = useT();
  const prefix = reply?.id ?? "new";
  // A fresh form after each save (each answer is a new object); a refused one keeps what was typed.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (saved) setGeneration((g) => g + 1);
  }, [saved]);
  const invalid = (name: string) => (errors?.[name] ? { "aria-invalid": true, "aria-describedby": `${prefix}-${name}-error` } : {});
  return (
    <Form method="post" className="stack" key={generation}>
      <FormError message={refusal ? t(refusal) : null} />
      {reply ? <input type="hidden" name="id" value={reply.id} /> : null}
      <div className="field">
        <label htmlFor={`${prefix}-title`}>{t("canned.name")}</label>
        <input id={`${prefix}-title`} name="title" defaultValue={reply?.title} required maxLength={80} {...invalid("title")} />
        <FieldErrors id={`${prefix}-title-error`} errors={errors?.title} translate={(e) => translateError(t, e)} />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-body`}>{t("canned.body")}</label>
        <textarea id={`${prefix}-body`} name="body" rows={4} defaultValue={reply?.body} required maxLength={2000} {...invalid("body")} />
        <FieldErrors id={`${prefix}-body-error`} errors={errors?.body} translate={(e) => translateError(t, e)} />
      </div>
      {isAdmin ? (
        <label>
          <input type="checkbox" name="shared" defaultChecked={reply ? reply.shared : false} /> {t("canned.shareLabel")}
        </label>
      ) : null}
      <div className="actions">
        <button type="submit" className="button button--primary">
          {t("canned.save")}
        </button>
        {reply ? (
          <button type="submit" name="intent" value="delete" className="button button--danger" formNoValidate>
            {t("canned.delete")}
          </button>
        ) : null}
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
