/** How someone stands to a member, and its two questions; no server code, so pages may ask them too. */
export type MemberRelation = "self" | "manager" | "backup" | "admin";

/** A relation as a conversation names it: the member themself is "member". */
type Side = MemberRelation | "member";
/** Staff who answer for the member (manager, covering backup, admin), not the member themself. */
export const onStaffSide = (relation: Side) => relation !== "self" && relation !== "member";
/** Covering for the member's manager while the manager is not online. */
export const isCovering = (relation: Side) => relation === "backup";
