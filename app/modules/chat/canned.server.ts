/**
 * Canned replies: shared ones (kept by admins) and each staff member's own.
 * Staff see both; nobody else sees any.
 */
import { z } from "zod";
import type { Db } from "../services.server";
import type { Actor } from "../members/access.server";
import { AccessDenied } from "../members/access.server";
import { newSortableId } from "../ids.server";
import { unknownVariables } from "./canned";

const isStaff = (actor: Actor) => actor.role === "staff" || actor.role === "admin";

// Messages are i18n keys; the form shows them beside the field.
export const CannedReplySchema = z.object({
  title: z.string({ required_error: "canned.error.title" }).trim().min(1, "canned.error.title").max(80, "canned.error.titleLong"),
  body: z
    .string({ required_error: "canned.error.body" })
    .trim()
    .min(1, "canned.error.body")
    .max(2_000, "canned.error.bodyLong")
    .refine((body) => unknownVariables(body).length === 0, "canned.error.variable"),
  shared: z.boolean().default(false),
});

export async function listCannedReplies(db: Db, actor: Actor) {
  if (!isStaff(actor)) throw new AccessDenied();
  const rows = await db.cannedReply.findMany({
    where: { OR: [{ ownerId: null }, { ownerId: actor.id }] },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    select: { id: true, title: true, body: true, ownerId: true },
  });
  return rows.map(({ ownerId, ...row }) => ({ ...row, shared: ownerId === null, editable: ownerId === actor.id || (ownerId === null && actor.role === "admin") }));
}

async function editable(db: Db, actor: Actor, id: string) {
  const row = await db.cannedReply.findUnique({ where: { id }, select: { ownerId: true } });
  // Someone else's private reply is "not found", not "forbidden": ids are not probed.
  if (!row || (row.ownerId !== null && row.ownerId !== actor.id)) return "notFound" as const;
  if (row.ownerId === null && actor.role !== "admin") return "forbidden" as const;
  return "ok" as const;
}

export async function saveCannedReply(db: Db, actor: Actor, input: z.input<typeof CannedReplySchema>, id?: string) {
  if (!isStaff(actor)) throw new AccessDenied();
  const parsed = CannedReplySchema.safeParse(input);
  if (!parsed.success) return { ok: false as const, error: "invalid" as const, fieldErrors: parsed.error.flatten().fieldErrors };
  const data = parsed.data;
  // A refusal the form shows (a page opened before a demotion still offers the box), not a crash.
  if (data.shared && actor.role !== "admin") return { ok: false as const, error: "forbidden" as const };
  if (id) {
    const check = await editable(db, actor, id);
    if (check !== "ok") return { ok: false as const, error: check };
    await db.cannedReply.update({ where: { id }, data: { title: data.title, body: data.body, ownerId: data.shared ? null : actor.id } });
    return { ok: true as const, id };
  }
  const created = await db.cannedReply.create({ data: { id: newSortableId(), title: data.title, body: data.body, ownerId: data.shared ? null : actor.id }, select: { id: true } });
  return { ok: true as const, id: created.id };
}

export async function deleteCannedReply(db: Db, actor: Actor, id: string) {
  if (!isStaff(actor)) throw new AccessDenied();
  const check = await editable(db, actor, id);
  if (check !== "ok") return { ok: false as const, error: check };
  await db.cannedReply.delete({ where: { id } });
  return { ok: true as const };
}
