/**
 * Follow-up tasks as a list with their actions, and the task form's fields.
 * Used by /staff/tasks and by a member's page (member-tasks.tsx). Every form
 * posts to /staff/tasks, which authorizes each action on the server.
 */
import { Link, useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef } from "react";
import { useHydrated } from "~/components/use-hydrated";
import { labelledFields } from "~/components/field";
import { translateError, type Translate } from "~/i18n/translate";
import { daysBetween } from "~/modules/console/calendar";
import { TASK_TITLE_MAX, type TaskErrors } from "~/modules/console/task-schema";
import { useDates, useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";

export const TASKS_ACTION = "/staff/tasks";

/** A task as loaders send it (app/modules/console/tasks.server.ts TaskView). */
export interface TaskItemData {
  id: string;
  title: string;
  dueOn: string;
  doneAt: string | null;
  member: { id: string; displayName: string };
  assignee: { id: string; displayName: string };
  overdue: boolean;
  dueToday: boolean;
}

export interface Assignee {
  id: string;
  displayName: string;
}

/** What the tasks action answers a fetcher: done, or refused with the reasons and what was typed. */
export type TaskActionData = { ok: true; intent: string } | TaskActionFailure;

export interface TaskActionFailure {
  ok: false;
  intent: string;
  taskId?: string | null;
  errors: TaskErrors;
  values?: Record<string, string>;
  /** Where the form came from (a same-site path). */
  redirectTo?: string;
}

/** Present only once the page runs: the action answers data to a fetcher, a redirect to a plain form post. */
export function FetcherMark() {
  return useHydrated() ? <input type="hidden" name="_fetcher" value="1" /> : null;
}

/** The form's fields; ids are prefixed so several forms can share a page. */
export function TaskFields({
  prefix,
  assignees,
  currentUserId,
  today,
  values,
  errors,
}: {
  prefix: string;
  assignees: Assignee[];
  currentUserId: string;
  today: string;
  values?: Partial<Record<"title" | "dueOn" | "assigneeId", string>>;
  errors?: TaskErrors;
}) {
  const t = useT();
  const { field, invalid } = labelledFields(t, prefix, errors);
  const chosen = values?.assigneeId ?? currentUserId;
  return (
    <>
      {field(
        "title",
        "tasks.form.title",
        <input
          id={`${prefix}-title`}
          name="title"
          type="text"
          required
          maxLength={TASK_TITLE_MAX}
          defaultValue={values?.title ?? ""}
          {...invalidWithHint(invalid("title"), `${prefix}-title-hint`)}
        />,
      )}
      <p id={`${prefix}-title-hint`} className="field__hint task-form__hint">
        {t("tasks.form.titleHint")}
      </p>
      {field("dueOn", "tasks.form.dueOn", <input id={`${prefix}-dueOn`} name="dueOn" type="date" required min={today} defaultValue={values?.dueOn ?? ""} {...invalid("dueOn")} />)}
      {field(
        "assigneeId",
        "tasks.form.assignee",
        <select id={`${prefix}-assigneeId`} name="assigneeId" required defaultValue={chosen} {...invalid("assigneeId")}>
          {assignees.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id === currentUserId ? t("tasks.form.me", { name: a.displayName }) : a.displayName}
            </option>
          ))}
        </select>,
      )}
    </>
  );
}

function invalidWithHint(invalid: Record<string, unknown>, hintId: string) {
  const describedBy = [invalid["aria-describedby"], hintId].filter(Boolean).join(" ");
  return { ...invalid, "aria-describedby": describedBy };
}

/** The form-level message of a refused submission, if any. */
export function TaskErrorSummary({ errors, t }: { errors?: TaskErrors; t: Translate }) {
  if (!errors) return null;
  const messages = errors.form?.length ? errors.form.map((e) => translateError(t, e)) : [t("tasks.error.summary")];
  return <FormError message={messages.join(" ")} />;
}

/** Calls `onSuccess` once for each accepted submission of this fetcher. */
export function useOnSuccess(fetcher: { state: string; data?: TaskActionData }, onSuccess: () => void) {
  const handled = useRef<unknown>(null);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data?.ok || handled.current === fetcher.data) return;
    handled.current = fetcher.data;
    onSuccess();
  }, [fetcher.state, fetcher.data, onSuccess]);
}

export function TaskItem({
  task,
  today,
  assignees,
  currentUserId,
  redirectTo,
  showMember = true,
  showAssignee = true,
}: {
  task: TaskItemData;
  today: string;
  assignees: Assignee[];
  currentUserId: string;
  redirectTo: string;
  showMember?: boolean;
  showAssignee?: boolean;
}) {
  const t = useT();
  const dates = useDates();
  const toggle = useFetcher<TaskActionData>({ key: `task-toggle-${task.id}` });
  const edit = useFetcher<TaskActionData>({ key: `task-edit-${task.id}` });
  const details = useRef<HTMLDetailsElement>(null);
  const closeEditor = useCallback(() => {
    if (details.current) details.current.open = false;
  }, []);
  useOnSuccess(edit, closeEditor);
  const done = task.doneAt !== null;
  const editErrors = edit.data && !edit.data.ok ? edit.data : null;
  const toggleError = toggle.data && !toggle.data.ok ? toggle.data : null;
  return (
    <li className={`task${task.overdue ? " task--overdue" : ""}${done ? " task--done" : ""}`} data-task-id={task.id}>
      <div className="task__main">
        <span className="task__title">{task.title}</span>
        {task.overdue ? (
          <span className="badge badge--overdue">
            <span aria-hidden="true">⚠ </span>
            {t("tasks.overdueBy", { count: daysBetween(task.dueOn, today) })}
          </span>
        ) : null}
        <span className="task__meta muted small">
          {done ? t("tasks.doneOn", { date: dates.date(task.doneAt!) }) : t("tasks.dueOn", { date: dates.day(task.dueOn) })}
          {showMember ? (
            <>
              {" · "}
              <Link to={`/staff/members/${task.member.id}`}>{t("tasks.about", { name: task.member.displayName })}</Link>
            </>
          ) : null}
          {showAssignee ? ` · ${t("tasks.for", { name: task.assignee.displayName })}` : null}
        </span>
      </div>
      <div className="task__actions">
        <toggle.Form method="post" action={TASKS_ACTION} preventScrollReset className="inline-form">
          <input type="hidden" name="intent" value={done ? "reopen" : "complete"} />
          <input type="hidden" name="taskId" value={task.id} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <FetcherMark />
          <button
            type="submit"
            className={`button${done ? "" : " button--primary"}`}
            aria-label={t(done ? "tasks.reopenLabel" : "tasks.completeLabel", { title: task.title })}
            disabled={toggle.state !== "idle"}
          >
            {toggle.state !== "idle" ? t("tasks.saving") : t(done ? "tasks.reopen" : "tasks.complete")}
          </button>
        </toggle.Form>
        {done ? null : (
          <details className="task__edit" ref={details} open={editErrors ? true : undefined}>
            <summary aria-label={t("tasks.editLabel", { title: task.title })}>{t("tasks.edit")}</summary>
            <edit.Form method="post" action={TASKS_ACTION} preventScrollReset noValidate className="task-form">
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="taskId" value={task.id} />
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <FetcherMark />
              <TaskErrorSummary errors={editErrors?.errors} t={t} />
              <TaskFields
                prefix={`task-${task.id}`}
                assignees={assignees}
                currentUserId={currentUserId}
                today={today}
                values={editErrors?.values ?? { title: task.title, dueOn: task.dueOn, assigneeId: task.assignee.id }}
                errors={editErrors?.errors}
              />
              <button type="submit" className="button button--primary" disabled={edit.state !== "idle"}>
                {edit.state !== "idle" ? t("tasks.saving") : t("tasks.save")}
              </button>
            </edit.Form>
          </details>
        )}
        {toggleError ? <TaskErrorSummary errors={toggleError.errors} t={t} /> : null}
      </div>
    </li>
  );
}

export function TaskList({
  tasks,
  ...rest
}: { tasks: TaskItemData[] } & Omit<Parameters<typeof TaskItem>[0], "task">) {
  return (
    <ul className="task-list">
      {tasks.map((task) => (
        <TaskItem key={task.id} task={task} {...rest} />
      ))}
    </ul>
  );
}
