import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { TaskErrorSummary, TaskList, type TaskActionData } from "~/components/task-list";
import { runTaskAction, tasksPageData } from "~/modules/console/task-forms.server";
import { requirePermission } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";

export const meta: MetaFunction = () => [{ title: "Tasks · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const url = new URL(request.url);
  return tasksPageData(context.services, { id: user.id, role: user.role }, url.searchParams.get("assignee"));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const form = await request.formData();
  const result = await runTaskAction(context.services, { id: user.id, role: user.role }, form);
  if (!result.ok) return data<TaskActionData>(result.failure, { status: 400 });
  // A fetcher stays on its page (the loaders revalidate); a plain form post goes back where it came from.
  return form.get("_fetcher") === "1" ? data<TaskActionData>({ ok: true, intent: result.intent }) : redirect(result.redirectTo);
}

export default function StaffTasks() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const here = page.viewingOther ? `/staff/tasks?assignee=${encodeURIComponent(page.assigneeId)}` : "/staff/tasks";
  const list = { today: page.today, assignees: page.assignees, currentUserId: page.currentUserId, redirectTo: here, showAssignee: false };
  const sections = [
    { id: "overdue", title: t("tasks.overdue"), tasks: page.overdue, className: page.overdue.length ? "task-section task-section--overdue" : "task-section" },
    { id: "today", title: t("tasks.today"), tasks: page.dueToday, className: "task-section" },
    { id: "upcoming", title: t("tasks.upcoming"), tasks: page.upcoming, className: "task-section" },
    { id: "done", title: t("tasks.done"), tasks: page.done, className: "task-section task-section--done" },
  ];
  return (
    <div className="stack">
      <h1>{page.viewingOther ? t("tasks.titleOf", { name: page.assigneeName }) : t("tasks.title")}</h1>
      <p className="muted">{t("tasks.intro", { zone: page.timeZone })}</p>
      {failure && !failure.ok ? (
        <div className="stack">
          <TaskErrorSummary errors={failure.errors} t={t} />
          {/* Without JavaScript a refused form from another page lands here. */}
          <p>
            <Link to={failure.redirectTo ?? "/staff/tasks"}>{t("tasks.error.back")}</Link>
          </p>
        </div>
      ) : null}
      {page.isAdmin ? (
        <Form method="get" className="actions tasks-filter" aria-label={t("tasks.viewAs")}>
          <label htmlFor="tasks-assignee">{t("tasks.viewAs")}</label>
          <select id="tasks-assignee" name="assignee" defaultValue={page.assigneeId}>
            {page.assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.id === page.currentUserId ? t("tasks.form.me", { name: a.displayName }) : a.displayName}
              </option>
            ))}
          </select>
          <button type="submit" className="button">
            {t("tasks.show")}
          </button>
        </Form>
      ) : null}
      {sections.map((section) => (
        <section key={section.id} className={`card ${section.className}`} aria-labelledby={`tasks-${section.id}`}>
          <h2 id={`tasks-${section.id}`}>
            {section.id === "overdue" && section.tasks.length ? <span aria-hidden="true">⚠ </span> : null}
            {section.title} <span className="badge">{section.tasks.length}</span>
          </h2>
          {section.tasks.length ? <TaskList tasks={section.tasks} {...list} /> : <p className="muted">{t("tasks.none")}</p>}
        </section>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
