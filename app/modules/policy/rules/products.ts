/** The catalogue, verified owners and reviews (docs/decisions/008). */
import type { Actor } from "../actor";
import { hasPermission } from "../permissions";
import { own, type Owned, type Rules } from "./shared";

/** The member an ownership is recorded for: staff record their own members, admins anyone. */
type Customer = { accountManagerId: string | null };

export const productRules = {
  "product.manage": (actor: Actor) => hasPermission(actor, "product:manage:any"),
  "product.recordOwners": (actor: Actor) => hasPermission(actor, "product:ownership:assigned") || hasPermission(actor, "product:ownership:any"),
  /** Every member's ownership, or only those of the members one manages (for lists). */
  "product.ownersOfAnyone": (actor: Actor) => hasPermission(actor, "product:ownership:any"),
  "product.recordOwnerOf": (actor: Actor, member: Customer) =>
    hasPermission(actor, "product:ownership:any") || (hasPermission(actor, "product:ownership:assigned") && member.accountManagerId === actor.id),
  "review.write": (actor: Actor) => hasPermission(actor, "review:write:any"),
  "review.edit": (actor: Actor, review: Owned) => own(actor, review),
  "review.delete": (actor: Actor, review: Owned) => own(actor, review),
  // Never on one's own review: a vote or a report is about someone else's words.
  "review.markHelpful": (actor: Actor, review: Owned) => !own(actor, review),
  "review.report": (actor: Actor, review: Owned) => !own(actor, review),
  "review.respond": (actor: Actor) => hasPermission(actor, "review:respond:any"),
  /** Hide or restore a review, settle its reports, read the reports queue. */
  "review.moderate": (actor: Actor) => hasPermission(actor, "review:hide:any"),
} satisfies Rules;
