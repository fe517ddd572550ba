import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ChatPanel } from "~/components/chat-panel";
import { preferenceName, valueLabel } from "~/components/preferences-editor";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { chatRole } from "~/modules/chat/chat.server";
import { listPreferences } from "~/modules/members/profile.server";
import { requirePermission } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const access = await chatRole(context.services.db, user, params.conversationId ?? "");
  // Not assigned (or no such conversation): the same 404 either way.
  if (!access || access.role === "member") throw new Response("Not found", { status: 404 });
  const member = await context.services.db.user.findUniqueOrThrow({
    where: { id: access.memberId },
    select: { id: true, displayName: true, email: true, company: true, phone: true, locale: true, contactChannel: true, contactHours: true },
  });
  const preferences = await listPreferences(context.services.db, member.id);
  return { conversationId: params.conversationId!, viewerId: user.id, member, preferences: preferences.slice(0, 8) };
}

export default function InboxConversation() {
  const t = useT();
  const { conversationId, viewerId, member, preferences } = useLoaderData<typeof loader>();
  return (
    <div className="inbox__conversation">
      {/* key: a new conversation gets a fresh panel, not the previous one's state. */}
      <ChatPanel key={conversationId} conversationId={conversationId} viewerId={viewerId} staff />
      <aside className="inbox__context card" aria-labelledby="context-title">
        <h2 id="context-title">{member.displayName}</h2>
        <p className="muted small">
          {member.email}
          {member.company ? ` · ${member.company}` : ""}
          {member.phone ? ` · ${member.phone}` : ""}
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
        <p>
          <Link to={`/staff/members/${member.id}`}>{t("inbox.fullRecord")}</Link>
        </p>
      </aside>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
