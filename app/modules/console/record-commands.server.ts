/**
 * What staff write on a member's record in the console, each a command
 * (docs/decisions/017): private notes, logged interactions, the relationship
 * stage and tags. Every one first finds the member through the one
 * member-scope rule, so a member one may not open is "not found".
 */
import { z } from "zod";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { can } from "../policy/can";
import { staffRelation } from "../policy/member-scope.server";
import { newSortableId } from "../ids.server";
import { renderMarkdown } from "../markdown/render.server";
import { NOTE_EXCERPT_LENGTH } from "../timeline/note-html.server";
import { STAGES } from "./engagement";

/** Staff writes are limited too: a runaway script must not flood a member's history. */
export const STAFF_WRITES = { max: 60, windowMs: 60_000 };
const staffWrites = (actor: Actor) => ({ key: `console:${actor.id}`, limit: STAFF_WRITES });

const Id = z.string().min(1).max(64);
export const MemberRef = z.object({ memberId: Id });
const NoteRef = z.object({ memberId: Id, noteId: Id });

/** The member, if this staff member may open their record (manager, covering backup, admin). */
export async function memberOnRecord(services: Services, memberId: string, actor: Actor) {
  const relation = await staffRelation(services, actor, memberId);
  return relation ? { memberId, relation } : null;
}

/** The note, on a member this staff member may open. */
async function noteOnRecord(services: Services, { memberId, noteId }: z.infer<typeof NoteRef>, actor: Actor) {
  if (!(await memberOnRecord(services, memberId, actor))) return null;
  const note = await services.db.staffNote.findFirst({ where: { id: noteId, memberId }, select: { id: true, authorId: true } });
  return note ? { ...note, authorId: note.authorId ?? "" } : fail.because("notFound", { key: "crm.error.noteGone" });
}

const NoteBody = z.string({ required_error: "crm.error.noteBody" }).trim().min(1, "crm.error.noteBody").max(10_000, "crm.error.noteLong");

export const NoteSchema = z.object({
  body: NoteBody,
  // A checkbox sends "on"; a caller in code sends a boolean.
  pinned: z.preprocess((v) => v === true || v === "on", z.boolean()),
});

export const addNote = defineCommand({
  name: "record.addNote",
  who: (actor) => can(actor, "record.write"),
  ref: MemberRef,
  load: (services, { memberId }, actor) => memberOnRecord(services, memberId, actor),
  input: NoteSchema,
  limit: staffWrites,
  async run({ tx, now, actor, touchpoint, audit }, { memberId, body, pinned }) {
    const rendered = renderMarkdown(body, "full");
    const id = newSortableId(now);
    await tx.staffNote.create({ data: { id, memberId, authorId: actor.id, body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, pinned, createdAt: now } });
    await touchpoint({ memberId, kind: "staff.note_added", actorId: actor.id, subject: { type: "staff_note", id }, data: { excerpt: body.slice(0, NOTE_EXCERPT_LENGTH) } });
    await audit({ action: "member.note_added", targetMemberId: memberId, subject: { type: "staff_note", id } });
    return { ok: true, id };
  },
});

const noteAudit = (memberId: string, noteId: string, change: "pinned" | "unpinned" | "edited" | "deleted") => ({
  action: change === "deleted" ? ("member.note_deleted" as const) : ("member.note_changed" as const),
  targetMemberId: memberId,
  subject: { type: "staff_note", id: noteId },
  data: { change },
});

/** Pin or unpin: any colleague who may open the member. */
export const pinNote = defineCommand({
  name: "record.pinNote",
  who: (actor) => can(actor, "note.pin"),
  ref: NoteRef,
  load: (services, ref, actor) => noteOnRecord(services, ref, actor),
  input: z.object({ pinned: z.boolean() }),
  async run({ tx, audit }, { memberId, noteId, pinned }) {
    await tx.staffNote.update({ where: { id: noteId }, data: { pinned } });
    await audit(noteAudit(memberId, noteId, pinned ? "pinned" : "unpinned"));
    return { ok: true };
  },
});

const notYourNote = () => fail.because("notAllowed", { key: "crm.error.notYourNote" });

/** A note's words are its author's (or an admin's) to change. */
export const editNote = defineCommand({
  name: "record.editNote",
  who: (actor) => can(actor, "record.write"),
  ref: NoteRef,
  load: (services, ref, actor) => noteOnRecord(services, ref, actor),
  policy: (actor, note) => can(actor, "note.change", note) || notYourNote(),
  input: z.object({ body: NoteBody }),
  async run({ tx, audit }, { memberId, noteId, body }) {
    const rendered = renderMarkdown(body, "full");
    await tx.staffNote.update({ where: { id: noteId }, data: { body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion } });
    await audit(noteAudit(memberId, noteId, "edited"));
    return { ok: true };
  },
});

export const deleteNote = defineCommand({
  name: "record.deleteNote",
  who: (actor) => can(actor, "record.write"),
  ref: NoteRef,
  load: (services, ref, actor) => noteOnRecord(services, ref, actor),
  policy: (actor, note) => can(actor, "note.change", note) || notYourNote(),
  async run({ tx, audit }, { memberId, noteId }) {
    await tx.staffNote.delete({ where: { id: noteId } });
    await audit(noteAudit(memberId, noteId, "deleted"));
    return { ok: true };
  },
});

export const InteractionSchema = z.object({
  channel: z.enum(["call", "meeting", "email", "visit"], { errorMap: () => ({ message: "crm.error.channel" }) }),
  summary: z.string({ required_error: "crm.error.summary" }).trim().min(1, "crm.error.summary").max(4_000, "crm.error.summaryLong"),
  occurredAt: z.coerce.date({ errorMap: () => ({ message: "crm.error.when" }) }),
});

export const logInteraction = defineCommand({
  name: "record.logInteraction",
  who: (actor) => can(actor, "record.write"),
  ref: MemberRef,
  load: (services, { memberId }, actor) => memberOnRecord(services, memberId, actor),
  input: InteractionSchema,
  limit: staffWrites,
  async run({ tx, now, actor, touchpoint, audit }, { memberId, channel, summary, occurredAt }) {
    // A future interaction is a plan, not a log: that is a task.
    if (occurredAt.getTime() > now.getTime() + 5 * 60_000) return fail.field("occurredAt", "crm.error.future");
    const id = newSortableId(now);
    await tx.interaction.create({ data: { id, memberId, staffId: actor.id, channel, summary, occurredAt, createdAt: now } });
    await touchpoint({ memberId, kind: "interaction.logged", actorId: actor.id, subject: { type: "interaction", id }, data: { channel, summary: summary.slice(0, 140) }, at: occurredAt });
    await audit({ action: "member.interaction_logged", targetMemberId: memberId, subject: { type: "interaction", id } });
    return { ok: true, id };
  },
});

export const StageSchema = z.object({
  stage: z.enum(STAGES, { errorMap: () => ({ message: "crm.error.stage" }) }),
  reason: z.string({ required_error: "crm.error.reason" }).trim().min(3, "crm.error.reason").max(500, "crm.error.reasonLong"),
});

export const setStage = defineCommand({
  name: "record.setStage",
  who: (actor) => can(actor, "record.write"),
  ref: MemberRef,
  load: (services, { memberId }, actor) => memberOnRecord(services, memberId, actor),
  input: StageSchema,
  async run({ tx, now, actor, touchpoint, audit }, { memberId, stage, reason }) {
    // The row lock orders concurrent changes, so the history's "from" is always the stage replaced.
    const [current] = await tx.$queryRaw<{ stage: (typeof STAGES)[number] }[]>`SELECT "stage" FROM "User" WHERE "id" = ${memberId} FOR UPDATE`;
    if (!current || current.stage === stage) return fail.field("stage", "crm.error.sameStage");
    await tx.user.update({ where: { id: memberId }, data: { stage } });
    await tx.stageChange.create({ data: { id: newSortableId(now), memberId, fromStage: current.stage, toStage: stage, reason, actorId: actor.id, createdAt: now } });
    await touchpoint({ memberId, kind: "stage.changed", actorId: actor.id, data: { from: current.stage, to: stage, reason: reason.slice(0, 140) } });
    await audit({ action: "member.stage_set", targetMemberId: memberId, data: { from: current.stage, to: stage } });
    return { ok: true };
  },
});

const TAG = /^[\p{Ll}\p{Nd}][\p{Ll}\p{Nd}-]{0,39}$/u;

/** Tags as typed ("VIP, wholesale vip"): lower-cased, deduplicated, at most 20. */
export const TagsSchema = z.object({
  tags: z
    .string()
    .max(2_000, "crm.error.tooManyTags")
    .transform((raw) => [...new Set(raw.split(/[,\s]+/).map((t) => t.trim().toLocaleLowerCase("vi").normalize("NFC")).filter(Boolean))])
    .refine((tags) => tags.length <= 20, "crm.error.tooManyTags")
    .refine((tags) => tags.every((t) => TAG.test(t)), "crm.error.tag"),
});

/** Replaces the member's tags with these. */
export const setTags = defineCommand({
  name: "record.setTags",
  who: (actor) => can(actor, "record.write"),
  ref: MemberRef,
  load: (services, { memberId }, actor) => memberOnRecord(services, memberId, actor),
  input: TagsSchema,
  async run({ tx, audit }, { memberId, tags }) {
    await tx.memberTag.deleteMany({ where: { memberId, tag: { notIn: tags } } });
    await tx.memberTag.createMany({ data: tags.map((tag) => ({ memberId, tag })), skipDuplicates: true });
    await audit({ action: "member.tags_changed", targetMemberId: memberId, data: { tags: tags.join(" ") } });
    return { ok: true };
  },
});
