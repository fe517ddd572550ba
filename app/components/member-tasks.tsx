/**
 * The follow-up tasks section of a member's page: open tasks (overdue ones
 * marked in words, not by colour alone), those done lately, and a form to
 * add one. It posts to /staff/tasks with a fetcher, so the page does not
 * navigate; a refused form comes back with its messages and what was typed.
 */
import { useFetcher } from "@remix-run/react";
import { useCallback, useRef } from "react";
import { FetcherMark, TASKS_ACTION, TaskErrorSummary, TaskFields, TaskList, useOnSuccess, type Assignee, type TaskActionData, type TaskItemData } from "~/components/task-list";
import { useT } from "~/utils/i18n";

export function MemberTasks({
  memberId,
  tasks,
  assignees,
  currentUserId,
  redirectTo,
}: {
  memberId: string;
  tasks: { today: string; open: TaskItemData[]; done: TaskItemData[] };
  assignees: Assignee[];
  currentUserId: string;
  redirectTo: string;
}) {
  const t = useT();
  const create = useFetcher<TaskActionData>({ key: `member-task-create-${memberId}` });
  const form = useRef<HTMLFormElement>(null);
  const onCreated = useCallback(() => form.current?.reset(), []);
  useOnSuccess(create, onCreated);
  const added = create.state === "idle" && create.data?.ok === true;
  const failure = create.data && !create.data.ok ? create.data : null;
  const list = { today: tasks.today, assignees, currentUserId, redirectTo, showMember: false };
  return (
    <section className="card stack member-tasks" aria-labelledby="member-tasks-title">
      <h2 id="member-tasks-title">{t("tasks.section")}</h2>
      {tasks.open.length ? <TaskList tasks={tasks.open} {...list} /> : <p className="muted">{t("tasks.memberNone")}</p>}
      {tasks.done.length ? (
        <details>
          <summary>
            {t("tasks.memberDone")} ({tasks.done.length})
          </summary>
          <TaskList tasks={tasks.done} {...list} />
        </details>
      ) : null}
      <create.Form
        method="post"
        action={TASKS_ACTION}
        preventScrollReset
        noValidate
        ref={form}
        className="task-form"
        aria-labelledby="member-task-new"
      >
        <h3 id="member-task-new">{t("tasks.new")}</h3>
        <input type="hidden" name="intent" value="create" />
        <input type="hidden" name="memberId" value={memberId} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FetcherMark />
        <TaskErrorSummary errors={failure?.errors} t={t} />
        <TaskFields
          prefix={`member-task-${memberId}`}
          assignees={assignees}
          currentUserId={currentUserId}
          today={tasks.today}
          values={failure?.values}
          errors={failure?.errors}
        />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={create.state !== "idle"}>
            {create.state !== "idle" ? t("tasks.saving") : t("tasks.form.create")}
          </button>
          <p role="status" className="muted">
            {added ? t("tasks.created") : ""}
          </p>
        </div>
      </create.Form>
    </section>
  );
}
