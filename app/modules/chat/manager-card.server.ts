import type { Services } from "../services.server";
import { uploadUrl } from "../storage/images.server";
import { typicalReplySeconds } from "./chat.server";
import { presenceOf } from "../presence/coverage.server";

/** What a member sees of their account manager in the chat header and launcher. */
export async function managerCardFor(services: Pick<Services, "db" | "realtime" | "clock">, memberId: string) {
  const me = await services.db.user.findUniqueOrThrow({
    where: { id: memberId },
    select: { accountManager: { select: { id: true, displayName: true, avatarKey: true, contactHours: true } } },
  });
  const manager = me.accountManager;
  if (!manager) return null;
  const [presence, replySeconds] = await Promise.all([presenceOf(services, [manager.id]), typicalReplySeconds(services, manager.id)]);
  return {
    id: manager.id,
    displayName: manager.displayName,
    avatar: uploadUrl(manager.avatarKey),
    contactHours: manager.contactHours,
    presence: presence.get(manager.id) ?? "offline",
    replySeconds,
  };
}
