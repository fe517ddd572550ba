/**
 * Canned replies: shared ones (kept by admins) and each staff member's own.
 * Staff see both; nobody else sees any.
 */
import { z } from "zod";
import type { Db, Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { AccessDenied } from "../policy/access-denied";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { isAdminRole, isStaffRole } from "../policy/permissions";
import { newSortableId } from "../ids.server";
import { unknownVariables } from "./canned";

// Messages are i18n keys; the form shows them beside the field.
export const CannedReplySchema = z.object({
  title: z.string({ required_error: "canned.error.title" }).trim().min(1, "canned.error.title").max(80, "canned.error.titleLong"),
  body: z
    .string({ required_error: "canned.error.body" })
    .trim()
    .min(1, "canned.error.body")
    .max(2_000, "canned.error.bodyLong")
    .refine((body) => unknownVariables(body).length === 0, "canned.error.variable"),
  // A checkbox sends "on"; a caller in code sends a boolean.
  shared: z.preprocess((v) => v === true || v === "on", z.boolean()),
});

export async function listCannedReplies(db: Db, actor: Actor) {
  if (!isStaffRole(actor.role)) throw new AccessDenied();
  const rows = await db.cannedReply.findMany({
    where: { OR: [{ ownerId: null }, { ownerId: actor.id }] },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    select: { id: true, title: true, body: true, ownerId: true },
  });
  return rows.map(({ ownerId, ...row }) => ({ ...row, shared: ownerId === null, editable: ownerId === actor.id || (ownerId === null && isAdminRole(actor.role)) }));
}

/** The reply, if this actor may change it: their own, or a shared one for an admin. */
async function editableReply(services: Services, actor: Actor, id: string) {
  const row = await services.db.cannedReply.findUnique({ where: { id }, select: { id: true, ownerId: true } });
  // Someone else's private reply is "not found", not "forbidden": ids are not probed.
  if (!row || (row.ownerId !== null && row.ownerId !== actor.id)) return null;
  if (row.ownerId === null && !isAdminRole(actor.role)) return fail.because("forbidden");
  return row;
}

const CannedRef = z.object({ id: z.string().min(1).max(64) });

/** A new reply (no id) or a change to one; only admins share. */
export const saveCannedReply = defineCommand({
  name: "canned.save",
  who: (actor) => isStaffRole(actor.role),
  ref: z.object({ id: z.string().max(64).optional().transform((id) => id || undefined) }),
  load: async (services, { id }, actor) => (id ? editableReply(services, actor, id) : { id: null, ownerId: actor.id }),
  input: CannedReplySchema,
  async run({ tx, actor }, { id, title, body, shared }) {
    // A refusal the form shows (a page opened before a demotion still offers the box), not a crash.
    if (shared && !isAdminRole(actor.role)) return fail.because("forbidden");
    const data = { title, body, ownerId: shared ? null : actor.id };
    if (id) {
      await tx.cannedReply.update({ where: { id }, data });
      return { ok: true, id };
    }
    const created = await tx.cannedReply.create({ data: { id: newSortableId(), ...data }, select: { id: true } });
    return { ok: true, id: created.id };
  },
});

export const deleteCannedReply = defineCommand({
  name: "canned.delete",
  who: (actor) => isStaffRole(actor.role),
  ref: CannedRef,
  load: (services, { id }, actor) => editableReply(services, actor, id),
  async run({ tx }, { id }) {
    await tx.cannedReply.delete({ where: { id } });
    return { ok: true };
  },
});
