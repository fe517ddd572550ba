import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AnnouncementFields, EMPTY_ANNOUNCEMENT, postedValues } from "~/components/announcement-form";
import { createAnnouncement } from "~/modules/announcements/announcements.server";
import { liveSegments } from "~/modules/announcements/composer.server";
import { requirePermission } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";
import { useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "console:access:any");
  return { segments: await liveSegments(context.services.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const form = await request.formData();
  const values = postedValues(form);
  const created = await createAnnouncement(context.services, { id: user.id, role: user.role }, values, { ip: context.ip });
  if (!created.ok) return refuse(created, context.locale, { values });
  throw redirect(`/staff/announcements/${created.id}?saved=1`);
}

export default function NewAnnouncement() {
  const t = useT();
  const { segments } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="stack">
      <p>
        <Link to="/staff/announcements">{t("announcements.title")}</Link>
      </p>
      <h1>{t("announcements.new")}</h1>
      {actionData?.formError ? (
        <p role="alert" className="notice notice--error">
          {actionData.formError}
        </p>
      ) : null}
      <Form method="post" className="card stack">
        <AnnouncementFields values={actionData?.values ?? EMPTY_ANNOUNCEMENT} errors={actionData?.fieldErrors ?? {}} segments={segments} />
        <p className="actions">
          <button type="submit" className="button button--primary">
            {t("announcement.saveDraft")}
          </button>
        </p>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
