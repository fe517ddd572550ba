import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ChatPanel } from "~/components/chat-panel";
import { preferenceName, valueLabel } from "~/components/preferences-editor";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { TimelineList } from "~/components/timeline";
import { chatRole } from "~/modules/chat/chat.server";
import { cannedValues, expandCanned } from "~/modules/chat/canned";
import { listCannedReplies } from "~/modules/chat/canned.server";
import { accountManagerHistory } from "~/modules/members/account-manager.server";
import { listPreferences } from "~/modules/members/preferences.server";
import { listTimeline } from "~/modules/timeline/touchpoints.server";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";
import { isCovering, onStaffSide } from "~/modules/policy/relations";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const { db } = context.services;
  const access = await chatRole(context.services, user, params.conversationId ?? "");
  // Not assigned, not covering (or no such conversation): the same 404 either way.
  if (!access || !onStaffSide(access.role)) throw new Response("Not found", { status: 404 });
  const [member, me, preferences, managers, timeline, canned] = await Promise.all([
    db.user.findUniqueOrThrow({
      where: { id: access.memberId },
      select: {
        id: true, displayName: true, email: true, company: true, phone: true, locale: true, timezone: true, contactChannel: true, contactHours: true, createdAt: true,
        accountManager: { select: { displayName: true } },
      },
    }),
    db.user.findUniqueOrThrow({ where: { id: user.id }, select: { displayName: true } }),
    listPreferences(db, access.memberId),
    accountManagerHistory(db, access.memberId),
    listTimeline(db, access.memberId, { limit: 6 }),
    listCannedReplies(db, user),
  ]);
  const values = cannedValues(member, me);
  return {
    conversationId: params.conversationId!,
    viewerId: user.id,
    role: access.role,
    member,
    preferences: preferences.slice(0, 8),
    managers: managers.slice(0, 5),
    timeline: timeline.items,
    canned: canned.map((c) => ({ id: c.id, title: c.title, text: expandCanned(c.body, values) })),
  };
}

export default function InboxConversation() {
  const t = useT();
  const dates = useDates();
  const { conversationId, viewerId, role, member, preferences, managers, timeline, canned } = useLoaderData<typeof loader>();
  return (
    <div className="inbox__conversation">
      <div className="stack">
        {isCovering(role) ? (
          <p className="notice" role="note">
            {t("inbox.coveringNotice", { name: member.accountManager?.displayName ?? "—" })}
          </p>
        ) : null}
        {/* key: a new conversation gets a fresh panel, not the previous one's state. */}
        <ChatPanel key={conversationId} conversationId={conversationId} viewerId={viewerId} staff canned={canned} />
      </div>
      <aside className="inbox__context card" aria-labelledby="context-title">
        <h2 id="context-title">{member.displayName}</h2>
        <p className="muted small">
          {member.email}
          {member.company ? ` · ${member.company}` : ""}
          {member.phone ? ` · ${member.phone}` : ""}
        </p>
        <p className="small">
          {t("inbox.memberSince", { date: dates.date(member.createdAt) })}
          {member.contactHours ? ` · ${t("chat.hours", { hours: member.contactHours })}` : ""}
        </p>
        <h3>{t("inbox.remember")}</h3>
        {preferences.length === 0 ? (
          <p className="muted">{t("inbox.noPreferences")}</p>
        ) : (
          <ul className="small">
            {preferences.map((p) => (
              <li key={p.key}>
                {preferenceName(t, p.key)}: <strong>{valueLabel(t, p.key, p.value)}</strong>
              </li>
            ))}
          </ul>
        )}
        <h3>{t("inbox.managerHistory")}</h3>
        {managers.length === 0 ? (
          <p className="muted small">{t("inbox.noManagerHistory")}</p>
        ) : (
          <ul className="small">
            {managers.map((m) => (
              <li key={m.id}>
                <strong>{m.managerName ?? t("inbox.noManager")}</strong>{" "}
                <span className="muted">
                  {dates.date(m.startedAt)} – {m.endedAt ? dates.date(m.endedAt) : t("inbox.now")}
                </span>
              </li>
            ))}
          </ul>
        )}
        <h3>{t("inbox.latestTouchpoints")}</h3>
        {timeline.length === 0 ? <p className="muted small">{t("inbox.noTouchpoints")}</p> : <TimelineList items={timeline} t={t} />}
        {!isCovering(role) ? (
          <p>
            <Link to={`/staff/members/${member.id}`}>{t("inbox.fullRecord")}</Link>
          </p>
        ) : null}
      </aside>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
