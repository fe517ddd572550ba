/**
 * Follow-up tasks on a member: a title, a due calendar day and a staff
 * assignee. Only staff who may open the member (manager, covering backup,
 * admin) create them or see the member's list; the assignee and the creator
 * may also complete, reopen and edit a task they can no longer open the
 * member of. A refusal is the same 404 as a task that does not exist.
 *
 * The reminder is an outbox event due at 08:00 of the due day where the
 * assignee is. Every reschedule enqueues a new one; when one fires it checks
 * the task is still open, still due that day and still theirs, and that the
 * reminder was not already requested, so stale and repeated ones do nothing.
 * The writes are commands in ./task-commands.server.ts.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db, Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../policy/actor";
import { AccessDenied } from "../policy/access-denied";
import { requireConsoleAccess } from "./access.server";
import { enqueueOutboxEvent, type OutboxHandler } from "../outbox/outbox.server";
import { NOTIFICATION_REQUESTED, requestNotification } from "../notifications/notifications.server";
import { addDays, calendarDay, dateToDay, daysBetween, usableTimeZone, zonedInstant } from "./calendar";
import { isStaffRole, isAdminRole } from "../policy/permissions";

export const TASK_REMINDER_DUE = "task.reminder_due";
/** Local time on the due day when the assignee is reminded. */
export const REMINDER_HOUR = 8;
/** How far ahead a task may be due. */
const MAX_DAYS_AHEAD = 5 * 366;
const RECENTLY_DONE_DAYS = 7;
const DAY_MS = 24 * 60 * 60_000;

type TaskServices = Pick<Services, "db" | "realtime" | "clock" | "outbox">;

export class TaskNotFound extends Error {
  status = 404;
  constructor() {
    super("No such task.");
  }
}

export interface TaskView {
  id: string;
  title: string;
  /** "YYYY-MM-DD" */
  dueOn: string;
  doneAt: string | null;
  createdById: string | null;
  member: { id: string; displayName: string };
  assignee: { id: string; displayName: string };
  overdue: boolean;
  dueToday: boolean;
}

export const TASK_SELECT = {
  id: true,
  title: true,
  dueOn: true,
  doneAt: true,
  createdById: true,
  memberId: true,
  assigneeId: true,
  member: { select: { id: true, displayName: true } },
  assignee: { select: { id: true, displayName: true } },
} as const satisfies Prisma.FollowUpTaskSelect;

type TaskRow = Prisma.FollowUpTaskGetPayload<{ select: typeof TASK_SELECT }>;

export function toView(row: TaskRow, today: string): TaskView {
  const dueOn = dateToDay(row.dueOn);
  const open = row.doneAt === null;
  return {
    id: row.id,
    title: row.title,
    dueOn,
    doneAt: row.doneAt ? row.doneAt.toISOString() : null,
    createdById: row.createdById,
    member: row.member,
    assignee: row.assignee,
    overdue: open && dueOn < today,
    dueToday: open && dueOn === today,
  };
}

export async function timeZoneOf(db: Db | Tx, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { timezone: true } });
  return usableTimeZone(user?.timezone);
}

/** Today where this person is. */
export async function todayFor(services: Pick<Services, "db" | "clock">, userId: string) {
  return dayWhere(services.db, userId, services.clock.now());
}

/** The calendar day it is at `now` where this person is. */
export async function dayWhere(db: Db | Tx, userId: string, now: Date) {
  return calendarDay(now, await timeZoneOf(db, userId));
}

function requireStaff(actor: Actor) {
  if (!isStaffRole(actor.role)) throw new AccessDenied("Only staff have tasks.");
}

/** Staff and admins who can be given a task, by name. */
export async function taskAssignees(db: Db) {
  return db.user.findMany({
    where: { role: { in: ["staff", "admin"] }, deletedAt: null },
    orderBy: { displayName: "asc" },
    select: { id: true, displayName: true },
  });
}

export async function findAssignee(db: Db | Tx, id: string) {
  const user = await db.user.findUnique({ where: { id }, select: { id: true, role: true, deletedAt: true, timezone: true, displayName: true } });
  return user && !user.deletedAt && (isStaffRole(user.role)) ? user : null;
}

/** A due day must be today or later (where the actor is), and within five years. */
export function dueDayError(dueOn: string, today: string): string | null {
  if (dueOn < today) return "tasks.error.duePast";
  if (daysBetween(today, dueOn) > MAX_DAYS_AHEAD) return "tasks.error.dueTooFar";
  return null;
}

/**
 * Queue the reminder for 08:00 of the due day in the assignee's zone (now,
 * if that has passed), unless the day is already over there.
 */
export async function scheduleReminder(tx: Tx, task: { id: string; dueOn: string; assigneeId: string }, assigneeTimeZone: string, now: Date) {
  const reminder = taskReminderEvent(task, assigneeTimeZone, now);
  if (reminder) await enqueueOutboxEvent(tx, reminder.type, reminder.payload, reminder.availableAt);
}

/** The reminder's outbox event (null when the due day is over where the assignee is); the demo seed writes these too. */
export function taskReminderEvent(task: { id: string; dueOn: string; assigneeId: string }, assigneeTimeZone: string, now: Date) {
  const endOfDay = zonedInstant(addDays(task.dueOn, 1), 0, 0, assigneeTimeZone);
  if (endOfDay <= now) return null;
  const at = zonedInstant(task.dueOn, REMINDER_HOUR, 0, assigneeTimeZone);
  return { type: TASK_REMINDER_DUE, payload: { taskId: task.id, dueOn: task.dueOn, assigneeId: task.assigneeId }, availableAt: at > now ? at : now };
}

/** A member's open tasks (soonest first) and those done lately, for whoever may open the member. */
export async function listMemberTasks(services: TaskServices, actor: Actor, memberId: string) {
  await requireConsoleAccess(services, actor, memberId);
  const today = await todayFor(services, actor.id);
  const since = new Date(services.clock.now().getTime() - 30 * DAY_MS);
  const rows = await services.db.followUpTask.findMany({
    where: { memberId, OR: [{ doneAt: null }, { doneAt: { gte: since } }] },
    orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }],
    take: 200,
    select: TASK_SELECT,
  });
  const views = rows.map((row) => toView(row, today));
  return { today, open: views.filter((t) => t.doneAt === null), done: views.filter((t) => t.doneAt !== null).reverse() };
}

/** What the member page's task section needs (app/components/member-tasks.tsx). */
export async function memberTasksFor(services: TaskServices, actor: Actor, memberId: string) {
  const [list, assignees] = await Promise.all([listMemberTasks(services, actor, memberId), taskAssignees(services.db)]);
  return { ...list, assignees, currentUserId: actor.id };
}

/**
 * "My tasks": overdue, today and upcoming in the viewer's time zone, and
 * those done in the last week. Admins may read another assignee's list.
 */
export async function myTasks(services: TaskServices, actor: Actor, options: { assigneeId?: string | null } = {}) {
  requireStaff(actor);
  const assigneeId = options.assigneeId || actor.id;
  if (assigneeId !== actor.id) {
    if (!isAdminRole(actor.role)) throw new AccessDenied("Only admins read another person's tasks.");
    if (!(await findAssignee(services.db, assigneeId))) throw new TaskNotFound();
  }
  const now = services.clock.now();
  const today = await todayFor(services, actor.id);
  const [open, done] = await Promise.all([
    services.db.followUpTask.findMany({
      where: { assigneeId, doneAt: null, member: { deletedAt: null } },
      orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }],
      take: 500,
      select: TASK_SELECT,
    }),
    services.db.followUpTask.findMany({
      where: { assigneeId, doneAt: { gte: new Date(now.getTime() - RECENTLY_DONE_DAYS * DAY_MS) }, member: { deletedAt: null } },
      orderBy: { doneAt: "desc" },
      take: 20,
      select: TASK_SELECT,
    }),
  ]);
  const views = open.map((row) => toView(row, today));
  return {
    today,
    assigneeId,
    overdue: views.filter((t) => t.overdue),
    dueToday: views.filter((t) => t.dueToday),
    upcoming: views.filter((t) => t.dueOn > today),
    done: done.map((row) => toView(row, today)),
  };
}

interface ReminderPayload {
  taskId: string;
  dueOn: string;
  assigneeId: string;
}

function parseReminder(payload: unknown): ReminderPayload | null {
  const p = payload as Partial<ReminderPayload> | null;
  return p && typeof p.taskId === "string" && typeof p.dueOn === "string" && typeof p.assigneeId === "string"
    ? { taskId: p.taskId, dueOn: p.dueOn, assigneeId: p.assigneeId }
    : null;
}

/** Fires the due-day reminder: a `task.due` notice to the assignee, once. */
export function taskReminderHandler(services: Pick<Services, "db">): OutboxHandler {
  const name = "console.task_reminder";
  return {
    name,
    handles: (type) => type === TASK_REMINDER_DUE,
    async deliver(event) {
      const reminder = parseReminder(event.payload);
      if (!reminder) return;
      await services.db.$transaction(async (tx) => {
        // The row lock serializes two reminders for one task (other dispatchers, a rescheduled day).
        const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "FollowUpTask" WHERE "id" = ${reminder.taskId} FOR UPDATE`;
        if (locked.length === 0) return;
        const task = await tx.followUpTask.findUniqueOrThrow({
          where: { id: reminder.taskId },
          select: { title: true, dueOn: true, doneAt: true, assigneeId: true, member: { select: { displayName: true, deletedAt: true } } },
        });
        // Done, moved to another day or handed to someone else: this reminder is stale.
        if (task.doneAt || task.member.deletedAt || dateToDay(task.dueOn) !== reminder.dueOn || task.assigneeId !== reminder.assigneeId) return;
        if (await reminderAlreadyRequested(tx, reminder)) return;
        await requestNotification(tx, {
          userId: reminder.assigneeId,
          kind: "task.due",
          data: { title: task.title, name: task.member.displayName, taskId: reminder.taskId, dueOn: reminder.dueOn },
          link: "/staff/tasks",
        });
        await tx.outboxDelivery.create({ data: { eventId: event.id, handler: name } });
      });
    },
  };
}

/** Whether this task's reminder for this day already reached (or is on its way to) the assignee. */
async function reminderAlreadyRequested(tx: Tx, reminder: ReminderPayload) {
  const sent = await tx.notification.findFirst({
    where: {
      userId: reminder.assigneeId,
      kind: "task.due",
      AND: [{ data: { path: ["taskId"], equals: reminder.taskId } }, { data: { path: ["dueOn"], equals: reminder.dueOn } }],
    },
    select: { id: true },
  });
  if (sent) return true;
  // Pending events are few (the status index), so this stays cheap as the outbox grows.
  const queued = await tx.$queryRaw<{ id: bigint }[]>`
    SELECT "id" FROM "OutboxEvent"
    WHERE "status" = 'pending' AND "type" = ${NOTIFICATION_REQUESTED}
      AND "payload"->>'kind' = 'task.due' AND "payload"->>'userId' = ${reminder.assigneeId}
      AND "payload"->'data'->>'taskId' = ${reminder.taskId} AND "payload"->'data'->>'dueOn' = ${reminder.dueOn}
    LIMIT 1`;
  return queued.length > 0;
}
