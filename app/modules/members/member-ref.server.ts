/**
 * The member a command acts on, and how the actor stands to them, by the one
 * member-scope rule (../policy/member-scope.server.ts). Someone out of scope
 * reads as "not found", never "forbidden": the answer must not tell whether
 * the member exists.
 */
import { z } from "zod";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { memberRelation } from "../policy/member-scope.server";
import type { InScope } from "../policy/rules/members";
import { can } from "../policy/can";

export const MemberRef = z.object({ memberId: z.string().min(1).max(64) });

/** A command's `load`: the actor's relation to the member, or null (not found). */
export async function memberInScope(services: Services, { memberId }: { memberId: string }, actor: Actor | null): Promise<InScope | null> {
  const relation = await memberRelation(services, actor, memberId);
  return relation ? { relation } : null;
}

/** Who wrote it, as the member's records keep it: the member, or their staff. */
export const sourceOf = (member: InScope) => (member.relation === "self" ? ("member" as const) : ("staff" as const));

/** The steps every command on a member's own data starts with: which member, in scope, who may edit it. */
export const onMemberData = {
  ref: MemberRef,
  load: memberInScope,
  policy: (actor: Actor, member: InScope) => can(actor, "member.edit", member),
};
