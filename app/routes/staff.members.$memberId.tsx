import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PreferencesEditor } from "~/components/preferences-editor";
import { TimelineList } from "~/components/timeline";
import { openMemberRecord } from "~/modules/members/member-record.server";
import { AccessDenied } from "~/modules/members/access.server";
import { avatarUrl } from "~/modules/members/avatar.server";
import { requirePermission } from "~/utils/auth.server";
import { handlePreferenceForm } from "~/utils/preference-form.server";
import { formatDate, useLocale, useT } from "~/utils/i18n";

async function forbidOnDenied<T>(work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AccessDenied) throw new Response(error.message, { status: 403 });
    throw error;
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const record = await forbidOnDenied(() =>
    openMemberRecord(context.services, { id: user.id, role: user.role }, params.memberId ?? "", { ip: context.ip }),
  );
  if (!record) throw new Response("Not found", { status: 404 });
  return { ...record, member: { ...record.member, avatar: avatarUrl(record.member.avatarKey) } };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const form = await request.formData();
  return forbidOnDenied(() => handlePreferenceForm(context.services, { id: user.id, role: user.role }, params.memberId ?? "", form));
}

export default function MemberRecordPage() {
  const t = useT();
  const locale = useLocale();
  const { member, preferences, consents, timeline } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const name = member.displayName || t("member.former");
  return (
    <div className="stack">
      <p>
        <Link to="/staff">← {t("staff.myMembers")}</Link>
      </p>
      <header className="media card">
        <Avatar name={name} url={member.avatar} size="lg" />
        <div>
          <h1>{name}</h1>
          <dl className="facts">
            <dt>{t("profile.email")}</dt>
            <dd>{member.email}</dd>
            {member.company ? (
              <>
                <dt>{t("profile.company")}</dt>
                <dd>{member.company}</dd>
              </>
            ) : null}
            {member.phone ? (
              <>
                <dt>{t("profile.phone")}</dt>
                <dd>{member.phone}</dd>
              </>
            ) : null}
            <dt>{t("profile.contactChannel")}</dt>
            <dd>
              {t(`profile.channel.${member.contactChannel as "chat" | "email" | "phone"}`)}
              {member.contactHours ? ` · ${member.contactHours}` : ""}
            </dd>
            <dt>{t("profile.language")}</dt>
            <dd>{member.locale === "en" ? t("lang.en") : t("lang.vi")}</dd>
            <dt>{t("staff.manager")}</dt>
            <dd>{member.accountManager?.displayName ?? "—"}</dd>
            <dt>{t("staff.since")}</dt>
            <dd>{formatDate(locale, member.createdAt)}</dd>
            <dt>{t("consent.title")}</dt>
            <dd>
              {consents
                .filter((c) => c.granted)
                .map((c) => t(`consent.${c.channel}`))
                .join(", ") || "—"}
            </dd>
          </dl>
        </div>
      </header>
      <section className="card stack" aria-labelledby="remember-title">
        <h2 id="remember-title">{t("remember.title")}</h2>
        <PreferencesEditor
          preferences={preferences}
          actionData={actionData}
          t={t}
          locale={locale}
          sourceLabels={{ member: t("staff.sourceMember"), staff: t("staff.sourceStaff") }}
        />
      </section>
      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("staff.timeline")}</h2>
        {timeline.items.length ? <TimelineList items={timeline.items} t={t} locale={locale} /> : <p>{t("profile.activityEmpty")}</p>}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
