/** The community forums (docs/decisions/006): who reads a category, who posts where, and what moderators may do. */
import type { ForumPostingRole, ForumReadRole, Role } from "~/generated/prisma/enums";
import type { Actor } from "../actor";
import { hasPermission, isStaffRole } from "../permissions";
import { own, type Owned, type Rules } from "./shared";

/**
 * Whether someone (null: a visitor) may read a category. It needs only the role, so it also
 * answers "which roles read this category" for notices and live rooms.
 */
export const readsCategory = (viewer: { role: Role } | null | undefined, category: { readRole: ForumReadRole }) =>
  category.readRole === "everyone" || hasPermission(viewer, "category:read:staff");

/** Replying to a locked thread is for those who may lock it. */
const repliesWhenLocked = (actor: Actor) => hasPermission(actor, "thread:lock:any");

export const forumRules = {
  "forumCategory.read": (actor: Actor, category: { readRole: ForumReadRole }) => readsCategory(actor, category),
  "forumCategory.manage": (actor: Actor) => hasPermission(actor, "category:manage:any"),
  "forumCategory.watch": (actor: Actor, category: { readRole: ForumReadRole }) => readsCategory(actor, category),
  // Announcements-style categories take new threads from staff only.
  "forumCategory.post": (actor: Actor, category: { postingRole: ForumPostingRole }) => category.postingRole !== "staff" || isStaffRole(actor.role),
  "forumThread.create": (actor: Actor) => hasPermission(actor, "thread:create:any"),
  "forumThread.reply": (actor: Actor, thread: { lockedAt: Date | null }) =>
    hasPermission(actor, "post:create:any") && (!thread.lockedAt || repliesWhenLocked(actor)),
  "forumThread.watch": () => true,
  "forumThread.acceptAnswer": (actor: Actor, thread: Owned) => own(actor, thread) || isStaffRole(actor.role),
  "forumThread.moderate": (actor: Actor) => hasPermission(actor, "thread:lock:any"),
  "forumPost.react": (actor: Actor, post: Owned) => !own(actor, post),
  "forumPost.flag": (actor: Actor, post: Owned) => !own(actor, post),
  "forumPost.edit": (actor: Actor, post: Owned) => own(actor, post) || hasPermission(actor, "post:hide:any"),
  "forumPost.delete": (actor: Actor, post: Owned) => own(actor, post) || hasPermission(actor, "post:hide:any"),
  "forumPost.hide": (actor: Actor) => hasPermission(actor, "post:hide:any"),
  "forumPost.history": (actor: Actor) => hasPermission(actor, "post:hide:any"),
  "forumFlags.review": (actor: Actor) => hasPermission(actor, "moderation:review:any"),
} satisfies Rules;
