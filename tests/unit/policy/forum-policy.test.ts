import { describe, expect, it } from "vitest";
import { ROLES } from "../../../app/modules/policy/permissions.ts";
import { can } from "../../../app/modules/policy/can.ts";
import { readsCategory } from "../../../app/modules/policy/rules/forums.ts";
import type { Role } from "../../../app/generated/prisma/enums.ts";

describe("the forums' rules (policy/rules/forums.ts)", () => {
  const person = (role: Role) => ({ id: `${role}-1`, role });
  const others = { authorId: "someone-else" };
  /** Per role: member, moderator, staff, admin. */
  const matrix: [string, (actor: { id: string; role: Role }) => boolean, [boolean, boolean, boolean, boolean]][] = [
    ["reads an open category", (a) => can(a, "forumCategory.read", { readRole: "everyone" }), [true, true, true, true]],
    ["reads a staff-only category", (a) => can(a, "forumCategory.read", { readRole: "staff" }), [false, false, true, true]],
    ["starts a thread in Announcements", (a) => can(a, "forumCategory.post", { postingRole: "staff" }), [false, false, true, true]],
    ["replies in a locked thread", (a) => can(a, "forumThread.reply", { lockedAt: new Date() }), [false, true, true, true]],
    ["replies in an open thread", (a) => can(a, "forumThread.reply", { lockedAt: null }), [true, true, true, true]],
    ["accepts an answer in someone else's thread", (a) => can(a, "forumThread.acceptAnswer", others), [false, false, true, true]],
    ["accepts an answer in their own thread", (a) => can(a, "forumThread.acceptAnswer", { authorId: a.id }), [true, true, true, true]],
    ["pins, locks, renames and moves threads", (a) => can(a, "forumThread.moderate"), [false, true, true, true]],
    ["edits someone else's post", (a) => can(a, "forumPost.edit", others), [false, true, true, true]],
    ["deletes their own post", (a) => can(a, "forumPost.delete", { authorId: a.id }), [true, true, true, true]],
    ["reacts to or flags their own post", (a) => can(a, "forumPost.react", { authorId: a.id }) || can(a, "forumPost.flag", { authorId: a.id }), [false, false, false, false]],
    ["hides posts and reads their history", (a) => can(a, "forumPost.hide") && can(a, "forumPost.history"), [false, true, true, true]],
    ["reviews flags", (a) => can(a, "forumFlags.review"), [false, true, true, true]],
    ["manages categories", (a) => can(a, "forumCategory.manage"), [false, false, false, true]],
  ];
  it.each(matrix)("who %s", (_, rule, expected) => {
    expect(ROLES.map((role) => rule(person(role)))).toEqual(expected);
  });

  it("a visitor reads open categories only, and does nothing else", () => {
    expect(readsCategory(null, { readRole: "everyone" })).toBe(true);
    expect(readsCategory(null, { readRole: "staff" })).toBe(false);
    expect(can(null, "forumThread.reply", { lockedAt: null })).toBe(false);
  });
});
