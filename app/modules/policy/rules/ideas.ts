/** Ideas and their comments (docs/decisions/008). */
import type { Actor } from "../actor";
import { hasPermission } from "../permissions";
import { own, type Owned, type Rules } from "./shared";

export const ideaRules = {
  "idea.create": (actor: Actor) => hasPermission(actor, "idea:create:any"),
  "idea.vote": (actor: Actor) => hasPermission(actor, "idea:vote:any"),
  "idea.follow": () => true,
  "idea.comment": (actor: Actor) => hasPermission(actor, "idea:comment:any"),
  "idea.edit": (actor: Actor, idea: Owned) => own(actor, idea) || hasPermission(actor, "idea:status:any"),
  "idea.remove": (actor: Actor) => hasPermission(actor, "idea:moderate:any"),
  "idea.setStatus": (actor: Actor) => hasPermission(actor, "idea:status:any"),
  "idea.merge": (actor: Actor) => hasPermission(actor, "idea:status:any"),
  "ideaComment.edit": (actor: Actor, comment: Owned) => own(actor, comment),
  "ideaComment.delete": (actor: Actor, comment: Owned) => own(actor, comment) || hasPermission(actor, "idea:moderate:any"),
} satisfies Rules;
