/**
 * The /staff/tasks route's work: the "My tasks" page data, and the forms it
 * receives from anywhere in the console (intents create, complete, reopen,
 * update) with a same-site `redirectTo` to go back to.
 */
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { AccessDenied } from "../policy/access-denied";
import { MemberNotFound } from "./access.server";
import { myTasks, TaskNotFound, taskAssignees } from "./tasks.server";
import { completeTask, createTask, reopenTask, updateTask } from "./task-commands.server";
import { statusOf, type Failure } from "../commands/failure";
import { usableTimeZone } from "./calendar";
import type { TaskErrors } from "./task-schema";
import { isAdminRole } from "../policy/permissions";

function hasControlCharacter(value: string) {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * A path on this site, or the fallback: never another origin
 * ("//evil.example", "https://…", "/\\evil") and never a control character.
 */
export function sameSitePath(value: FormDataEntryValue | string | null | undefined, fallback: string) {
  if (typeof value !== "string" || value.length === 0 || value.length > 500) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || hasControlCharacter(value)) return fallback;
  const base = "http://rapport.invalid";
  const url = new URL(value, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
}

/** Module refusals as HTTP answers: not found (or not yours) is 404, forbidden 403. */
async function asHttp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MemberNotFound || error instanceof TaskNotFound) throw new Response(error.message, { status: 404 });
    if (error instanceof AccessDenied) throw new Response(error.message, { status: 403 });
    throw error;
  }
}

export async function tasksPageData(services: Services, actor: Actor, assigneeParam: string | null) {
  return asHttp(async () => {
    const list = await myTasks(services, actor, { assigneeId: assigneeParam });
    const [assignees, me] = await Promise.all([
      taskAssignees(services.db),
      services.db.user.findUnique({ where: { id: actor.id }, select: { timezone: true } }),
    ]);
    const viewingOther = list.assigneeId !== actor.id;
    return {
      ...list,
      assignees,
      currentUserId: actor.id,
      isAdmin: isAdminRole(actor.role),
      viewingOther,
      assigneeName: assignees.find((a) => a.id === list.assigneeId)?.displayName ?? "",
      timeZone: usableTimeZone(me?.timezone),
    };
  });
}

export type TaskActionResult =
  | { ok: true; intent: string; redirectTo: string }
  | { ok: false; failure: { ok: false; intent: string; taskId: string | null; errors: TaskErrors; values?: Record<string, string>; redirectTo: string } };

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};

/** What each intent runs; the form's fields are the command's input. */
const INTENTS = {
  create: createTask,
  update: updateTask,
  complete: completeTask,
  reopen: reopenTask,
} as const;

export async function runTaskAction(services: Services, actor: Actor, form: FormData): Promise<TaskActionResult> {
  const intent = text(form, "intent") ?? "";
  const redirectTo = sameSitePath(form.get("redirectTo"), "/staff/tasks");
  const fields = { memberId: text(form, "memberId"), taskId: text(form, "taskId"), title: text(form, "title"), dueOn: text(form, "dueOn"), assigneeId: text(form, "assigneeId") };
  const taskId = (fields.taskId ?? "").slice(0, 64) || null;
  const values = Object.fromEntries(["title", "dueOn", "assigneeId"].flatMap((k) => (typeof fields[k as keyof typeof fields] === "string" ? [[k, fields[k as keyof typeof fields]!.slice(0, 1000)]] : [])));
  const refused = (errors: TaskErrors, kept?: Record<string, string>): TaskActionResult => ({ ok: false, failure: { ok: false, intent, taskId, errors, values: kept, redirectTo } });
  if (!Object.hasOwn(INTENTS, intent)) return refused({ form: ["tasks.error.unknown"] });
  const result = await INTENTS[intent as keyof typeof INTENTS](services, actor, fields);
  if (result.ok) return { ok: true, intent, redirectTo };
  // Field errors go back to the form; any other refusal is the page's (a task or member one may not act on is 404).
  if (result.error === "invalid") return refused(result.fieldErrors as TaskErrors, values);
  throw new Response(refusalText(result), { status: statusOf(result) });
}

const refusalText = (failure: Failure) => (failure.error === "notFound" ? "Not found" : "Not allowed");
