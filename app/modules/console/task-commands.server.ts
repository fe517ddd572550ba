/**
 * Creating, changing, completing and reopening follow-up tasks, each a
 * command (docs/decisions/017). Who may act on a task: its assignee, its
 * creator, or anyone who may open its member; to everyone else it does not
 * exist. A reschedule queues a new reminder (./tasks.server.ts).
 */
import { z } from "zod";
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../policy/actor";
import { defineCommand } from "../commands/command.server";
import { fail, type FieldErrors } from "../commands/failure";
import { can } from "../policy/can";
import { newSortableId } from "../ids.server";
import { memberOnRecord, MemberRef } from "./record-commands.server";
import { dateToDay, dayToDate, usableTimeZone } from "./calendar";
import { taskFieldsSchema } from "./task-schema";
import { TASK_SELECT, dayWhere, dueDayError, findAssignee, scheduleReminder, timeZoneOf, toView } from "./tasks.server";

const TaskRef = z.object({ taskId: z.string().min(1).max(64) });

/** The task, if this staff member may act on it. */
async function actionableTask(services: Services, taskId: string, actor: Actor) {
  const task = await services.db.followUpTask.findUnique({ where: { id: taskId }, select: TASK_SELECT });
  if (!task) return null;
  if (task.assigneeId === actor.id || task.createdById === actor.id) return task;
  return (await memberOnRecord(services, task.memberId, actor)) ? task : null;
}

/** The assignee must be live staff, and a new due day today or later where the actor is. */
async function checkFields(tx: Tx, actor: Actor, now: Date, fields: { assigneeId: string; dueOn: string }, keepsDay: boolean) {
  const [assignee, today] = await Promise.all([findAssignee(tx, fields.assigneeId), dayWhere(tx, actor.id, now)]);
  const errors: FieldErrors = {};
  if (!assignee) errors.assigneeId = ["tasks.error.assigneeInvalid"];
  const dueError = keepsDay ? null : dueDayError(fields.dueOn, today);
  if (dueError) errors.dueOn = [dueError];
  return { assignee, today, errors: assignee && !dueError ? null : errors };
}

export const createTask = defineCommand({
  name: "task.create",
  ref: MemberRef,
  // Staff only (the scope rule finds no member for anyone else): a member may not exist, as on the record.
  load: (services, { memberId }, actor) => memberOnRecord(services, memberId, actor),
  policy: (actor) => can(actor, "task.write"),
  input: taskFieldsSchema,
  async run({ tx, now, actor, touchpoint, audit }, { memberId, title, dueOn, assigneeId }) {
    const { assignee, today, errors } = await checkFields(tx, actor, now, { assigneeId, dueOn }, false);
    if (errors || !assignee) return fail.invalid(errors ?? {});
    const id = newSortableId(now);
    const row = await tx.followUpTask.create({
      data: { id, memberId, title, dueOn: dayToDate(dueOn), assigneeId: assignee.id, createdById: actor.id, createdAt: now },
      select: TASK_SELECT,
    });
    await touchpoint({ memberId, kind: "task.created", actorId: actor.id, subject: { type: "task", id }, data: { title, dueOn, assignee: assignee.displayName } });
    await audit({ action: "task.created", targetMemberId: memberId, subject: { type: "task", id }, data: { dueOn, assigneeId: assignee.id } });
    await scheduleReminder(tx, { id, dueOn, assigneeId: assignee.id }, usableTimeZone(assignee.timezone), now);
    return { ok: true, task: toView(row, today) };
  },
});

export const updateTask = defineCommand({
  name: "task.update",
  who: (actor) => can(actor, "task.write"),
  ref: TaskRef,
  load: (services, { taskId }, actor) => actionableTask(services, taskId, actor),
  input: taskFieldsSchema,
  async run({ tx, now, actor, audit }, { title, dueOn, assigneeId }, task) {
    const previousDue = dateToDay(task.dueOn);
    // An overdue task keeps its day when only the title changes.
    const checked = await checkFields(tx, actor, now, { assigneeId, dueOn }, dueOn === previousDue);
    if (checked.errors || !checked.assignee) return fail.invalid(checked.errors ?? {});
    const assignee = checked.assignee;
    const changed = [...(title !== task.title ? ["title"] : []), ...(dueOn !== previousDue ? ["dueOn"] : []), ...(assignee.id !== task.assigneeId ? ["assignee"] : [])];
    if (changed.length === 0) return { ok: true, task: toView(task, checked.today) };
    const updated = await tx.followUpTask.update({ where: { id: task.id }, data: { title, dueOn: dayToDate(dueOn), assigneeId: assignee.id }, select: TASK_SELECT });
    await audit({ action: "task.updated", targetMemberId: task.memberId, subject: { type: "task", id: task.id }, data: { changed: changed.join(","), dueOn, assigneeId: assignee.id } });
    if (updated.doneAt === null && (changed.includes("dueOn") || changed.includes("assignee"))) {
      await scheduleReminder(tx, { id: task.id, dueOn, assigneeId: assignee.id }, usableTimeZone(assignee.timezone), now);
    }
    return { ok: true, task: toView(updated, checked.today) };
  },
});

export const completeTask = defineCommand({
  name: "task.complete",
  who: (actor) => can(actor, "task.write"),
  ref: TaskRef,
  load: (services, { taskId }, actor) => actionableTask(services, taskId, actor),
  async run({ tx, now, actor, touchpoint, audit }, _input, task) {
    // Only an open task is completed: a double submit records one completion.
    const done = await tx.followUpTask.updateMany({ where: { id: task.id, doneAt: null }, data: { doneAt: now, doneById: actor.id } });
    if (done.count === 0) return { ok: true, changed: false };
    await touchpoint({ memberId: task.memberId, kind: "task.completed", actorId: actor.id, subject: { type: "task", id: task.id }, data: { title: task.title, dueOn: dateToDay(task.dueOn) } });
    await audit({ action: "task.completed", targetMemberId: task.memberId, subject: { type: "task", id: task.id } });
    return { ok: true, changed: true };
  },
});

export const reopenTask = defineCommand({
  name: "task.reopen",
  who: (actor) => can(actor, "task.write"),
  ref: TaskRef,
  load: (services, { taskId }, actor) => actionableTask(services, taskId, actor),
  async run({ tx, now, audit }, _input, task) {
    const reopened = await tx.followUpTask.updateMany({ where: { id: task.id, doneAt: { not: null } }, data: { doneAt: null, doneById: null } });
    if (reopened.count === 0) return { ok: true, changed: false };
    await audit({ action: "task.reopened", targetMemberId: task.memberId, subject: { type: "task", id: task.id } });
    // A reminder that fired while it was done did nothing: ask again (the handler sends at most one per task, day and assignee).
    await scheduleReminder(tx, { id: task.id, dueOn: dateToDay(task.dueOn), assigneeId: task.assigneeId }, await timeZoneOf(tx, task.assigneeId), now);
    return { ok: true, changed: true };
  },
});
