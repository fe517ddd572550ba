/**
 * `can(actor, action, subject)`: what a person may do to a thing, in one
 * table. Commands' policies and loaders ask it; the UI asks it only to hide
 * what cannot be done. Rules are synchronous over the subject's facts: what
 * needs the database (which members a staff member sees, presence) is
 * decided by ./member-scope.server.ts and passed in as a fact.
 *
 * Permissions (./permissions.ts) stay the vocabulary of roles; this table
 * adds ownership and state ("the author, or anyone who may moderate").
 */
import type { Actor } from "./actor";
import { hasPermission } from "./permissions";

type Owned = { authorId: string };

const own = (actor: Actor, subject: Owned) => subject.authorId === actor.id;

const RULES = {
  // Ideas (docs/decisions/008).
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
} satisfies Record<string, (actor: Actor, subject: never) => boolean>;

export type Action = keyof typeof RULES;
type SubjectOf<A extends Action> = Parameters<(typeof RULES)[A]> extends [Actor, infer S] ? S : undefined;

/** Whether `actor` may do `action` (to `subject`); anonymous visitors may do nothing here. */
export function can<A extends Action>(actor: Actor | null | undefined, action: A, ...subject: SubjectOf<A> extends undefined ? [] : [SubjectOf<A>]): boolean {
  if (!actor) return false;
  const rule = RULES[action] as (actor: Actor, subject?: unknown) => boolean;
  return rule(actor, subject[0]);
}

/** Every action, for the policy matrix test. */
export const ACTIONS = Object.keys(RULES) as Action[];
