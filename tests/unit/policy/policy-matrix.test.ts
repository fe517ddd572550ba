/**
 * The whole policy as one matrix: every action of `can` × every role × the
 * subjects that change the answer (one's own thing or someone else's, a
 * staff-only category, a locked thread, how one stands to a member). A new
 * action without a row here fails the first test, so the table stays whole.
 * The domain tests (forum-policy, policy-products, co-creation-permissions)
 * check the same rules through the commands.
 */
import { describe, expect, it } from "vitest";
import { ACTIONS, can, type Action } from "../../../app/modules/policy/can.ts";
import type { Actor } from "../../../app/modules/policy/actor.ts";

const ROLES = ["member", "moderator", "staff", "admin"] as const;
type Role = (typeof ROLES)[number];
const actor = (role: Role): Actor => ({ id: `me-${role}`, role });

/** A subject: a name for the report, and the facts for the actor who asks. */
type Subject = [name: string, facts: (me: Actor) => unknown];
const mine: Subject = ["their own", (me) => ({ authorId: me.id })];
const others: Subject = ["someone else's", () => ({ authorId: "someone-else" })];
const none: Subject = ["—", () => undefined];

/** Per action: per subject, the roles allowed. */
type Row = [Subject, Role[]][];
const EVERYONE: Role[] = [...ROLES];
const MODS: Role[] = ["moderator", "staff", "admin"];
const STAFF: Role[] = ["staff", "admin"];
const ADMIN: Role[] = ["admin"];
const NOBODY: Role[] = [];
const plain = (roles: Role[]): Row => [[none, roles]];
const owned = (ownRoles: Role[], othersRoles: Role[]): Row => [
  [mine, ownRoles],
  [others, othersRoles],
];

const relation = (r: string | null, extra: object = {}): Subject => [`relation ${r}`, () => ({ relation: r, ...extra })];

const MATRIX: Record<Action, Row> = {
  "idea.create": plain(EVERYONE),
  "idea.vote": plain(EVERYONE),
  "idea.follow": plain(EVERYONE),
  "idea.comment": plain(EVERYONE),
  "idea.edit": owned(EVERYONE, STAFF),
  "idea.remove": plain(MODS),
  "idea.setStatus": plain(STAFF),
  "idea.merge": plain(STAFF),
  "ideaComment.edit": owned(EVERYONE, NOBODY),
  "ideaComment.delete": owned(EVERYONE, MODS),

  "record.write": plain(STAFF),
  "note.pin": plain(STAFF),
  "task.write": plain(STAFF),
  "note.change": owned(EVERYONE, ADMIN),

  "product.manage": plain(ADMIN),
  "product.recordOwners": plain(STAFF),
  "product.ownersOfAnyone": plain(ADMIN),
  "product.recordOwnerOf": [
    [["a member they manage", (me) => ({ accountManagerId: me.id })], STAFF],
    [["another manager's member", () => ({ accountManagerId: "another-manager" })], ADMIN],
  ],
  "review.write": plain(EVERYONE),
  "review.edit": owned(EVERYONE, NOBODY),
  "review.delete": owned(EVERYONE, NOBODY),
  "review.markHelpful": owned(NOBODY, EVERYONE),
  "review.report": owned(NOBODY, EVERYONE),
  "review.respond": plain(STAFF),
  "review.moderate": plain(MODS),

  "member.edit": [
    [relation("self"), EVERYONE],
    [relation("manager"), EVERYONE],
    [relation("backup"), EVERYONE],
    [relation("admin"), EVERYONE],
    [relation(null), NOBODY],
  ],
  "member.consent": [
    [relation("self", { asStaff: false }), EVERYONE],
    [relation("manager", { asStaff: true }), EVERYONE],
    [relation("manager", { asStaff: false }), NOBODY],
    [relation(null, { asStaff: true }), NOBODY],
  ],
  "member.record": [
    [relation("self"), NOBODY],
    [relation("manager"), EVERYONE],
    [relation("backup"), EVERYONE],
    [relation(null), NOBODY],
  ],
  "member.leave": plain(EVERYONE),
  "member.assignManager": plain(ADMIN),
  "team.manage": plain(ADMIN),
  "member.suspend": plain(MODS),
  "member.suspendWhom": [
    [["a member", () => ({ role: "member" })], MODS],
    [["a moderator", () => ({ role: "moderator" })], ADMIN],
    [["staff", () => ({ role: "staff" })], NOBODY],
    [["an admin", () => ({ role: "admin" })], NOBODY],
  ],

  "notification.own": plain(EVERYONE),
  "account.own": plain(EVERYONE),

  "forumCategory.read": [
    [["an open category", () => ({ readRole: "everyone" })], EVERYONE],
    [["the staff lounge", () => ({ readRole: "staff" })], STAFF],
  ],
  "forumCategory.manage": plain(ADMIN),
  "forumCategory.watch": [
    [["an open category", () => ({ readRole: "everyone" })], EVERYONE],
    [["the staff lounge", () => ({ readRole: "staff" })], STAFF],
  ],
  "forumCategory.post": [
    [["a category anyone posts in", () => ({ postingRole: "everyone" })], EVERYONE],
    [["an announcements category", () => ({ postingRole: "staff" })], STAFF],
  ],
  "forumThread.create": plain(EVERYONE),
  "forumThread.reply": [
    [["an open thread", () => ({ lockedAt: null })], EVERYONE],
    [["a locked thread", () => ({ lockedAt: new Date(0) })], MODS],
  ],
  "forumThread.watch": plain(EVERYONE),
  "forumThread.acceptAnswer": owned(EVERYONE, STAFF),
  "forumThread.moderate": plain(MODS),
  "forumPost.react": owned(NOBODY, EVERYONE),
  "forumPost.flag": owned(NOBODY, EVERYONE),
  "forumPost.edit": owned(EVERYONE, MODS),
  "forumPost.delete": owned(EVERYONE, MODS),
  "forumPost.hide": plain(MODS),
  "forumPost.history": plain(MODS),
  "forumFlags.review": plain(MODS),

  "segment.use": plain(STAFF),
  "segment.create": plain(STAFF),
  "segment.change": owned(STAFF, ADMIN),
  "announcement.use": plain(STAFF),
  "announcement.change": owned(STAFF, ADMIN),
  "announcement.read": [
    [["their own, reaching none of their members", (me) => ({ authorId: me.id, reachesTheirMembers: false })], STAFF],
    [["someone else's, reaching their members", () => ({ authorId: "someone-else", reachesTheirMembers: true })], STAFF],
    [["someone else's, reaching none of their members", () => ({ authorId: "someone-else", reachesTheirMembers: false })], ADMIN],
  ],
  "announcement.readEveryone": plain(ADMIN),
  "offer.use": plain(STAFF),
  "offer.create": plain(STAFF),
  "offer.change": owned(STAFF, ADMIN),
  "offer.issue": plain(STAFF),
  "offer.redeem": plain(STAFF),
  "offer.reveal": plain(EVERYONE),
};

describe("the policy matrix", () => {
  it("has a row for every action the policy knows, and no row for one it does not", () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ACTIONS].sort());
  });

  const cases = Object.entries(MATRIX).flatMap(([action, row]) =>
    row.flatMap(([[subjectName, facts], allowed]) => ROLES.map((role) => ({ action: action as Action, subjectName, facts, role, allowed: allowed.includes(role) }))),
  );

  it.each(cases)("$action on $subjectName by a $role: $allowed", ({ action, facts, role, allowed }) => {
    const me = actor(role);
    const ask = can as (actor: Actor, action: Action, subject?: unknown) => boolean;
    expect(ask(me, action, facts(me))).toBe(allowed);
  });

  it("a visitor (no actor) may do nothing", () => {
    const ask = can as (actor: Actor | null, action: Action, subject?: unknown) => boolean;
    for (const action of ACTIONS) expect(ask(null, action, { authorId: "x", readRole: "everyone", postingRole: "everyone", lockedAt: null, relation: "self" }), action).toBe(false);
  });
});
