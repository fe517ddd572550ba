/** Admins manage forum categories: names and descriptions in both languages, colour, order, who may post and who may read. */
import { z } from "zod";
import type { Services } from "../services.server";
import type { Actor } from "../members/access.server";
import { hasPermission, ROLES } from "../policy/permissions";
import type { ForumReadRole } from "~/generated/prisma/enums";
import { rolesThatRead } from "./category-access.server";
import { threadRoom } from "./forums.server";
import { recordAudit } from "../audit/audit.server";
import { newSortableId } from "../ids.server";

export const CategorySchema = z.object({
  id: z.string().optional(),
  slug: z
    .string({ required_error: "validation.required" })
    .trim()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "category.slugInvalid")
    .max(40, "validation.tooLong"),
  nameVi: z.string({ required_error: "validation.required" }).trim().min(2, "validation.required").max(60, "validation.tooLong"),
  nameEn: z.string({ required_error: "validation.required" }).trim().min(2, "validation.required").max(60, "validation.tooLong"),
  descriptionVi: z.string().trim().max(300, "validation.tooLong").default(""),
  descriptionEn: z.string().trim().max(300, "validation.tooLong").default(""),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "category.colorInvalid"),
  position: z.coerce.number().int().min(0).max(1000),
  postingRole: z.enum(["member", "staff"]),
  // Required: a form that forgot it must not quietly open a staff-only category to everyone.
  readRole: z.enum(["everyone", "staff"], { required_error: "validation.required" }),
});

/**
 * Threads that just became staff-only (their category did, or they moved
 * into such a category): tabs already following them live stop hearing new
 * replies now, not at their next reload (a join is refused from then on
 * anyway). Every instance is asked, through the adapter.
 */
export async function closeLiveThreads(services: Pick<Services, "realtime" | "logger">, threadIds: string[], readRole: ForumReadRole) {
  const readers = rolesThatRead(readRole);
  if (readers.length === ROLES.length || !threadIds.length) return;
  await services.realtime
    .leaveRoomsUnlessRole(threadIds.map(threadRoom), readers)
    .catch((error: unknown) => services.logger.warn({ err: error, threadIds: threadIds.length }, "could not close live threads"));
}

export async function saveCategory(
  services: Services,
  actor: Actor,
  input: Record<string, unknown>,
): Promise<{ ok: true; id: string } | { ok: false; error: "notAllowed" } | { ok: false; error: "invalid"; fieldErrors: Record<string, string[]> }> {
  if (!hasPermission(actor, "category:manage:any")) return { ok: false, error: "notAllowed" };
  const parsed = CategorySchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid", fieldErrors: parsed.error.flatten().fieldErrors as Record<string, string[]> };
  const { id, ...data } = parsed.data;
  const clash = await services.db.forumCategory.findUnique({ where: { slug: data.slug }, select: { id: true } });
  const before = id ? await services.db.forumCategory.findUnique({ where: { id }, select: { readRole: true } }) : null;
  if (clash && clash.id !== id) return { ok: false, error: "invalid", fieldErrors: { slug: ["category.slugTaken"] } };
  const now = services.clock.now();
  const savedId = id ?? newSortableId(now);
  await services.db.$transaction(async (tx) => {
    if (id) await tx.forumCategory.update({ where: { id }, data });
    else await tx.forumCategory.create({ data: { id: savedId, ...data } });
    // Who may read is the change that matters most: the audit says what it was (null: new) and what it became.
    await recordAudit(tx, {
      actorId: actor.id, action: "forum.category_saved", subject: { type: "forum_category", id: savedId },
      data: { slug: data.slug, postingRole: data.postingRole, readRole: data.readRole, fromReadRole: before?.readRole ?? null }, at: now,
    });
  });
  if (before && before.readRole !== data.readRole) {
    const threads = await services.db.forumThread.findMany({ where: { categoryId: savedId }, select: { id: true } });
    await closeLiveThreads(services, threads.map((t) => t.id), data.readRole);
  }
  return { ok: true, id: savedId };
}
