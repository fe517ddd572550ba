/**
 * What is left of the old member-access module. Which members someone may
 * act on is the one rule in ../policy/member-scope.server.ts, and commands
 * refuse with the one failure type (docs/decisions/017). Kept only for the
 * reads that still throw (the console, chat's canned replies, coverage and
 * the team list) until they move; nothing new should import it.
 */
export type { Actor } from "../policy/actor";

export class AccessDenied extends Error {
  status = 403;
  constructor(message = "You may not act on this member's data.") {
    super(message);
  }
}
