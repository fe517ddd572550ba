/**
 * The products and reviews rules of `can` as a matrix: each role, each
 * action, on a subject of one's own and on someone else's.
 */
import { describe, expect, it } from "vitest";
import { can } from "../../../app/modules/policy/can.ts";
import { ROLES } from "../../../app/modules/policy/permissions.ts";
import type { Role } from "../../../app/generated/prisma/enums.ts";

const me = (role: Role) => ({ id: "me", role });
const mine = { authorId: "me", accountManagerId: "me" };
const theirs = { authorId: "someone", accountManagerId: "someone" };
const unmanaged = { authorId: "someone", accountManagerId: null };
/** `can` over a row's action and subject, which the table holds loosely typed. */
const ask = can as (actor: unknown, action: string, subject?: unknown) => boolean;

type Row = [action: Parameters<typeof can>[1], subject: object | undefined, allowed: Role[]];

const MATRIX: Row[] = [
  ["product.manage", undefined, ["admin"]],
  ["product.recordOwners", undefined, ["staff", "admin"]],
  ["product.ownersOfAnyone", undefined, ["admin"]],
  ["product.recordOwnerOf", mine, ["staff", "admin"]],
  ["product.recordOwnerOf", theirs, ["admin"]],
  ["product.recordOwnerOf", unmanaged, ["admin"]],
  ["review.write", undefined, ["member", "moderator", "staff", "admin"]],
  ["review.edit", mine, ["member", "moderator", "staff", "admin"]],
  ["review.edit", theirs, []],
  ["review.delete", mine, ["member", "moderator", "staff", "admin"]],
  ["review.delete", theirs, []],
  ["review.markHelpful", mine, []],
  ["review.markHelpful", theirs, ["member", "moderator", "staff", "admin"]],
  ["review.report", mine, []],
  ["review.report", theirs, ["member", "moderator", "staff", "admin"]],
  ["review.respond", undefined, ["staff", "admin"]],
  ["review.moderate", undefined, ["moderator", "staff", "admin"]],
];

describe("who may do what to products and reviews", () => {
  for (const [action, subject, allowed] of MATRIX) {
    const on = subject === mine ? " (own)" : subject === theirs ? " (someone else's)" : subject === unmanaged ? " (nobody's member)" : "";
    it.each(ROLES)(`${action}${on}: %s`, (role) => {
      const answer = ask(me(role), action, subject);
      expect(answer, `${role} ${allowed.includes(role) ? "may" : "may not"} ${action}${on}`).toBe(allowed.includes(role));
    });
  }

  it("anonymous visitors may do none of it", () => {
    for (const [action, subject] of MATRIX) expect(ask(null, action, subject)).toBe(false);
  });
});
