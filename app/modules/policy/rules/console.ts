/**
 * The staff console (docs/decisions/011). Which member a staff member may
 * open is the member-scope rule (../member-scope.server.ts), checked by each
 * command's `load`; these rules are what they may do on a record they opened.
 */
import type { Actor } from "../actor";
import { hasPermission, isAdminRole } from "../permissions";
import { own, type Owned, type Rules } from "./shared";

export const consoleRules = {
  /** Notes, interactions, stage and tags on a member they may open. */
  "record.write": (actor: Actor) => hasPermission(actor, "console:access:any"),
  /** Any colleague who may open the member pins a note; its words are the author's (or an admin's) to change. */
  "note.pin": (actor: Actor) => hasPermission(actor, "console:access:any"),
  /** Follow-up tasks: staff only; which task is the assignee's, creator's or on a member they may open. */
  "task.write": (actor: Actor) => hasPermission(actor, "console:access:any"),
  "note.change": (actor: Actor, note: Owned) => own(actor, note) || isAdminRole(actor.role),
} satisfies Rules;
