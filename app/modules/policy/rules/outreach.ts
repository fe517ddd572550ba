/**
 * Acting on what we remember (issue 18): segments, announcements and offers. Any staff member
 * builds them; whom they reach is always cut to the sender's member scope
 * (../member-scope.server.ts), so a staff member's announcement never leaves their own members.
 * Changing or archiving a segment someone else saved is for its author or an admin; the same for
 * an offer's text and codes. Issuing and marking redeemed reach only members in the actor's scope
 * (decided where the members are loaded, as "not found"). A member reveals only their own offers.
 * Staff read the announcements they wrote or that reached their members, their counts cut to
 * those members (../announcement-scope.server.ts); admins read all.
 */
import type { Actor } from "../actor";
import { hasPermission, isAdminRole } from "../permissions";
import { own, type Owned, type Rules } from "./shared";

export const outreachRules = {
  "segment.use": (actor: Actor) => hasPermission(actor, "console:access:any"),
  "segment.create": (actor: Actor) => hasPermission(actor, "console:access:any"),
  "segment.change": (actor: Actor, segment: Owned) => hasPermission(actor, "console:access:any") && (own(actor, segment) || isAdminRole(actor.role)),
  // Announcements: any staff member writes and sends them (to their own scope); changing, sending,
  // pausing someone else's is for its author or an admin.
  "announcement.use": (actor: Actor) => hasPermission(actor, "console:access:any"),
  "announcement.change": (actor: Actor, announcement: Owned) => hasPermission(actor, "console:access:any") && (own(actor, announcement) || isAdminRole(actor.role)),
  // Reading one (its page, progress and report): an admin, any; staff, the ones they wrote and
  // those that reached at least one member in their scope, its counts cut to those members.
  "announcement.read": (actor: Actor, announcement: Owned & { reachesTheirMembers: boolean }) =>
    hasPermission(actor, "console:access:any") && (isAdminRole(actor.role) || own(actor, announcement) || announcement.reachesTheirMembers),
  "announcement.readEveryone": (actor: Actor) => hasPermission(actor, "console:access:any") && isAdminRole(actor.role),
  "offer.use": (actor: Actor) => hasPermission(actor, "console:access:any"),
  "offer.create": (actor: Actor) => hasPermission(actor, "console:access:any"),
  "offer.change": (actor: Actor, offer: Owned) => hasPermission(actor, "console:access:any") && (own(actor, offer) || isAdminRole(actor.role)),
  "offer.issue": (actor: Actor) => hasPermission(actor, "console:access:any"),
  "offer.redeem": (actor: Actor) => hasPermission(actor, "console:access:any"),
  "offer.reveal": () => true,
} satisfies Rules;
