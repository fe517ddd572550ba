/**
 * The /staff/tasks route's work: the "My tasks" page data, and the forms it
 * receives from anywhere in the console (intents create, complete, reopen,
 * update) with a same-site `redirectTo` to go back to.
 */
import type { Services } from "../services.server";
import { AccessDenied, type Actor } from "../members/access.server";
import { MemberNotFound } from "./access.server";
import { completeTask, createTask, myTasks, reopenTask, TaskNotFound, taskAssignees, updateTask } from "./tasks.server";
import { usableTimeZone } from "./calendar";
import type { TaskErrors } from "./task-schema";

type TaskServices = Pick<Services, "db" | "realtime" | "clock" | "outbox">;

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

export async function tasksPageData(services: TaskServices, actor: Actor, assigneeParam: string | null) {
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
      isAdmin: actor.role === "admin",
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

export async function runTaskAction(services: TaskServices, actor: Actor, form: FormData): Promise<TaskActionResult> {
  const intent = text(form, "intent") ?? "";
  const redirectTo = sameSitePath(form.get("redirectTo"), "/staff/tasks");
  const taskId = (text(form, "taskId") ?? "").slice(0, 64);
  const fields = { title: text(form, "title"), dueOn: text(form, "dueOn"), assigneeId: text(form, "assigneeId") };
  const refused = (errors: TaskErrors, values?: Record<string, string>): TaskActionResult => ({
    ok: false,
    failure: { ok: false, intent, taskId: taskId || null, errors, values, redirectTo },
  });
  return asHttp(async () => {
    switch (intent) {
      case "create": {
        const memberId = (text(form, "memberId") ?? "").slice(0, 64);
        if (!memberId) throw new MemberNotFound();
        const result = await createTask(services, actor, memberId, fields);
        return result.ok ? { ok: true, intent, redirectTo } : refused(result.errors, result.values);
      }
      case "update": {
        if (!taskId) throw new TaskNotFound();
        const result = await updateTask(services, actor, taskId, fields);
        return result.ok ? { ok: true, intent, redirectTo } : refused(result.errors, result.values);
      }
      case "complete":
      case "reopen": {
        if (!taskId) throw new TaskNotFound();
        await (intent === "complete" ? completeTask : reopenTask)(services, actor, taskId);
        return { ok: true, intent, redirectTo };
      }
      default:
        return refused({ form: ["tasks.error.unknown"] });
    }
  });
}
