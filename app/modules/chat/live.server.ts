/**
 * What the socket layer asks chat, so that it holds no domain logic: which
 * conversation an open means and which rooms it joins, and whether a typing
 * notice may go out (participants only) and what it says.
 */
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import type { CommandOrigin } from "../commands/command.server";
import { fail } from "../commands/failure";
import { isCommunityRole } from "../policy/permissions";
import { chatRole, chatRoom, chatStaffRoom, openConversation } from "./conversation.server";
import { openOwnConversation } from "./messages.server";
import { onStaffSide } from "../policy/member-scope.server";

/** A member opens their own conversation (made on first use); staff name the one they answer. */
export async function openChat(services: Services, actor: Actor, payload: { conversationId?: unknown }, origin?: CommandOrigin) {
  let conversationId = typeof payload.conversationId === "string" ? payload.conversationId : "";
  if (!conversationId) {
    if (!isCommunityRole(actor.role)) return fail.field("conversationId", "chat.error.conversationId");
    const own = await openOwnConversation(services, actor, {}, origin);
    if (!own.ok) return own;
    conversationId = own.conversationId;
  }
  const opened = await openConversation(services, actor, conversationId);
  if (!opened.ok) return opened;
  // Notes and staff-only events go to the staff room; members never join it.
  return { ...opened, rooms: onStaffSide(opened.role) ? [chatRoom(conversationId), chatStaffRoom(conversationId)] : [chatRoom(conversationId)] };
}

/** The typing notice for the conversation's other tabs, or null when the sender takes no part in it. */
export async function typingNotice(services: Services, actor: Actor, payload: { conversationId?: unknown; typing?: unknown }) {
  if (typeof payload.conversationId !== "string") return null;
  const conversationId = payload.conversationId;
  const access = await chatRole(services, actor, conversationId);
  if (!access) return null;
  const user = await services.db.user.findUnique({ where: { id: actor.id }, select: { displayName: true } });
  return {
    room: chatRoom(conversationId),
    typing: { conversationId, userId: actor.id, name: user?.displayName ?? "", isStaff: onStaffSide(access.role), typing: payload.typing === true },
  };
}
