import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ChatPanel } from "~/components/chat-panel";
import { ManagerCard } from "~/components/chat-manager-card";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { managerCardFor } from "~/modules/chat/manager-card.server";
import { requireUser } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";
import { isStaffRole } from "~/modules/policy/permissions";

export const meta: MetaFunction = () => [{ title: "Chat · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  // Staff answer from their inbox; this page is the member's own channel.
  if (isStaffRole(user.role)) throw redirect("/staff/inbox");
  return { viewerId: user.id, manager: await managerCardFor(context.services, user.id) };
}

export default function ChatPage() {
  const t = useT();
  const { viewerId, manager } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{t("chat.title")}</h1>
      <ManagerCard manager={manager} />
      <ChatPanel viewerId={viewerId} staff={false} />
      <p className="muted small">
        <Link to="/profile">{t("chat.profileLink")}</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
