/** Admins manage forum categories: names and descriptions in both languages, colour, order, who may post and who may read. */
import { z } from "zod";
import type { RoomNotice, Services } from "../services.server";
import { ROLES } from "../policy/permissions";
import { can } from "../policy/can";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import type { Role } from "~/generated/prisma/enums";
import { rolesThatRead } from "./category-access.server";
import { threadRoom } from "./forums.server";
import { newSortableId } from "../ids.server";

export const CategorySchema = z.object({
  // A form's empty id is a new category.
  id: z.preprocess((value) => value || undefined, z.string().max(64).optional()),
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
 * Threads that just became unreadable to some roles (their category turned staff-only, they
 * moved into such a category, or were deleted: `readers` empty): tabs following them live stop
 * hearing them now, not at their next reload (a join is refused from then on anyway), and each
 * is told why. Every instance is asked, through the adapter.
 */
export async function closeLiveThreads(
  services: Pick<Services, "realtime" | "logger">,
  threadIds: string[],
  readers: readonly Role[],
  reason: "unreadable" | "deleted",
) {
  if (readers.length === ROLES.length || !threadIds.length) return;
  const threadOf = new Map(threadIds.map((id) => [threadRoom(id), id]));
  const notice: RoomNotice<"forum:thread_gone"> = { event: "forum:thread_gone", args: (room) => [{ threadId: threadOf.get(room) ?? room, reason }] };
  await services.realtime
    .leaveRoomsUnlessRole([...threadOf.keys()], readers, notice)
    .catch((error: unknown) => services.logger.warn({ err: error, threadIds: threadIds.length }, "could not close live threads"));
}

/** Admins create or change a category; who may read it is the change that matters most, and the audit says what it was and became. */
export const saveCategory = defineCommand({
  name: "forum.save_category",
  who: (actor) => can(actor, "forumCategory.manage"),
  input: CategorySchema,
  async run({ tx, now, audit, afterCommit }, { id, ...data }) {
    const clash = await tx.forumCategory.findUnique({ where: { slug: data.slug }, select: { id: true } });
    if (clash && clash.id !== id) return fail.field("slug", "category.slugTaken");
    const before = id ? await tx.forumCategory.findUnique({ where: { id }, select: { readRole: true } }) : null;
    if (id && !before) return fail.notFound();
    const savedId = id ?? newSortableId(now);
    if (id) await tx.forumCategory.update({ where: { id }, data });
    else await tx.forumCategory.create({ data: { id: savedId, ...data } });
    await audit({
      action: "forum.category_saved", subject: { type: "forum_category", id: savedId },
      data: { slug: data.slug, postingRole: data.postingRole, readRole: data.readRole, fromReadRole: before?.readRole ?? null },
    });
    if (before && before.readRole !== data.readRole) {
      const threads = await tx.forumThread.findMany({ where: { categoryId: savedId }, select: { id: true } });
      afterCommit((services) => closeLiveThreads(services, threads.map((t) => t.id), rolesThatRead(data.readRole), "unreadable"));
    }
    return { ok: true, id: savedId };
  },
});
