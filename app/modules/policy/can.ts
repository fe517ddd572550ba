/**
 * `can(actor, action, subject)`: what a person may do to a thing, in one
 * table made of each domain's rules (./rules/). Commands' `who` and `policy`
 * ask it; loaders ask it; the UI asks it only to hide what cannot be done.
 * Rules are synchronous over the subject's facts: what needs the database
 * (which members a staff member sees, presence) is decided by
 * ./member-scope.server.ts and passed in as a fact.
 *
 * Permissions (./permissions.ts) stay the vocabulary of roles; the rules add
 * ownership and state ("the author, or anyone who may moderate").
 */
import type { Actor } from "./actor";
import { consoleRules } from "./rules/console";
import { ideaRules } from "./rules/ideas";
import { productRules } from "./rules/products";
import { memberRules } from "./rules/members";
import { notificationRules } from "./rules/notifications";
import { accountRules } from "./rules/accounts";
import { forumRules } from "./rules/forums";
import { outreachRules } from "./rules/outreach";

const RULES = {
  ...ideaRules,
  ...consoleRules,
  ...productRules,
  ...memberRules,
  ...notificationRules,
  ...accountRules,
  ...forumRules,
  ...outreachRules,
};

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
