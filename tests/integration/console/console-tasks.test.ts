/**
 * Follow-up tasks: who may create, read and act on them (the covering backup
 * only while the manager is away, told by real sockets), "My tasks" read in
 * the viewer's time zone, and the reminder on the due day.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MemberNotFound } from "../../../app/modules/console/access.server.ts";
import { listMemberTasks, myTasks, TaskNotFound } from "../../../app/modules/console/tasks.server.ts";
import { completeTask, createTask, reopenTask, updateTask } from "../../../app/modules/console/task-commands.server.ts";
import { runTaskAction, sameSitePath } from "../../../app/modules/console/task-forms.server.ts";
import { setCoverage } from "../../../app/modules/presence/coverage.server.ts";
import { AccessDenied } from "../../../app/modules/policy/access-denied.ts";
import { renderNotification } from "../../../app/i18n/notification-text.ts";
import { movableClock, HOUR, MINUTE } from "../../support/clock.ts";
import { serverForThisFile } from "../../support/server.ts";
import { chatPeople } from "../../support/chat.ts";

const file = serverForThisFile();
const { db, person, tab } = chatPeople(file);
const services = () => file.t.server.services;
const actor = (u: { id: string; role: "member" | "staff" | "admin" | "moderator" }) => ({ id: u.id, role: u.role });

// A day next year, so the outbox's own "now" (the database's) is never ahead of the test clock.
const YEAR = new Date().getUTCFullYear() + 1;
const day = (month: number, date: number) => `${YEAR}-${String(month).padStart(2, "0")}-${String(date).padStart(2, "0")}`;
const at = (iso: string) => new Date(`${iso}Z`);
const clock = movableClock(at(`${day(3, 10)}T20:00:00`));

beforeAll(async () => {
  // These tests drive the outbox by hand, on a clock they move.
  await services().dispatcher.stop();
  services().clock = clock;
});

async function team() {
  const manager = await person("staff");
  const member = await person("member", manager.id);
  return { manager, member, staffOnly: await person("staff"), admin: await person("admin") };
}

const fields = (assigneeId: string, extra: Partial<{ title: string; dueOn: string }> = {}) => ({
  title: "Gọi lại về đơn hàng tháng 3",
  dueOn: day(3, 12),
  assigneeId,
  ...extra,
});

async function created(result: Awaited<ReturnType<typeof createTask>>) {
  if (!result.ok) throw new Error(`task refused: ${JSON.stringify(result)}`);
  return result.task;
}

describe("who may create, read and act on a member's tasks", () => {
  it("the manager creates a task: a staff-only touchpoint with the task as subject, and an audit entry", async () => {
    const { manager, member } = await team();
    const task = await created(await createTask(services(), actor(manager), { memberId: member.id, ...fields(manager.id) }));
    expect(task).toMatchObject({ title: "Gọi lại về đơn hàng tháng 3", dueOn: day(3, 12), assignee: { id: manager.id }, overdue: false });
    const touchpoint = await db().touchpoint.findFirstOrThrow({ where: { memberId: member.id, kind: "task.created" } });
    expect(touchpoint).toMatchObject({ actorId: manager.id, subjectType: "task", subjectId: task.id });
    expect(await db().auditLog.count({ where: { action: "task.created", targetMemberId: member.id, actorId: manager.id } })).toBe(1);
    expect((await listMemberTasks(services(), actor(manager), member.id)).open.map((t) => t.id)).toEqual([task.id]);
  });

  it("staff not assigned to the member get 'not found' from every module function and from the route's action", async () => {
    const { manager, member, staffOnly } = await team();
    const task = await created(await createTask(services(), actor(manager), { memberId: member.id, ...fields(manager.id) }));
    const outsider = actor(staffOnly);
    expect(await createTask(services(), outsider, { memberId: member.id, ...fields(staffOnly.id) })).toMatchObject({ ok: false, error: "notFound" });
    await expect(listMemberTasks(services(), outsider, member.id)).rejects.toBeInstanceOf(MemberNotFound);
    expect(await completeTask(services(), outsider, { taskId: task.id })).toMatchObject({ ok: false, error: "notFound" });
    expect(await reopenTask(services(), outsider, { taskId: task.id })).toMatchObject({ ok: false, error: "notFound" });
    expect(await updateTask(services(), outsider, { taskId: task.id, ...fields(staffOnly.id) })).toMatchObject({ ok: false, error: "notFound" });
    for (const intent of ["create", "complete", "reopen", "update"]) {
      const form = new FormData();
      form.set("intent", intent);
      form.set("memberId", member.id);
      form.set("taskId", task.id);
      for (const [k, v] of Object.entries(fields(staffOnly.id))) form.set(k, v);
      const refusal = await runTaskAction(services(), outsider, form).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refusal, intent).toBeInstanceOf(Response);
      expect((refusal as Response).status, intent).toBe(404);
    }
    expect((await db().followUpTask.findUniqueOrThrow({ where: { id: task.id } })).doneAt).toBeNull();
    // Members are not staff at all.
    expect(await createTask(services(), actor(member), { memberId: member.id, ...fields(manager.id) })).toMatchObject({ ok: false, error: "notFound" });
    expect(await completeTask(services(), actor(member), { taskId: task.id })).toMatchObject({ ok: false, error: "notAllowed" });
  });

  it("admins act on anyone's member; the assignee and the creator may complete and reopen without access to the member", async () => {
    const { manager, member, staffOnly, admin } = await team();
    const byAdmin = await created(await createTask(services(), actor(admin), { memberId: member.id, ...fields(staffOnly.id, { title: "Gửi báo giá" }) }));
    // staffOnly is the assignee but may not open the member.
    await expect(listMemberTasks(services(), actor(staffOnly), member.id)).rejects.toBeInstanceOf(MemberNotFound);
    expect(await completeTask(services(), actor(staffOnly), { taskId: byAdmin.id })).toEqual({ ok: true, changed: true });
    expect(await completeTask(services(), actor(staffOnly), { taskId: byAdmin.id })).toEqual({ ok: true, changed: false });
    expect(await db().touchpoint.count({ where: { subjectId: byAdmin.id, kind: "task.completed" } })).toBe(1);
    expect(await reopenTask(services(), actor(manager), { taskId: byAdmin.id })).toEqual({ ok: true, changed: true });
    expect(await db().auditLog.count({ where: { subjectId: byAdmin.id, action: { in: ["task.completed", "task.reopened"] } } })).toBe(2);

    // The creator keeps the right after the member moves to another manager.
    const mine = await created(await createTask(services(), actor(manager), { memberId: member.id, ...fields(admin.id) }));
    await db().user.update({ where: { id: member.id }, data: { accountManagerId: staffOnly.id } });
    await expect(listMemberTasks(services(), actor(manager), member.id)).rejects.toBeInstanceOf(MemberNotFound);
    expect(await completeTask(services(), actor(manager), { taskId: mine.id })).toEqual({ ok: true, changed: true });
  });

  it("a named backup works on a covered manager's member only while the manager is away", async () => {
    const { manager, member, admin } = await team();
    const backup = await person("staff");
    expect(await setCoverage(services(), actor(admin), { managerId: manager.id, backup: backup.id })).toEqual({ ok: true });
    // The manager has no tab open: offline, so the backup covers.
    const task = await created(await createTask(services(), actor(backup), { memberId: member.id, ...fields(backup.id) }));
    expect((await listMemberTasks(services(), actor(backup), member.id)).open).toHaveLength(1);

    await tab(manager.id); // back online
    await expect(listMemberTasks(services(), actor(backup), member.id)).rejects.toBeInstanceOf(MemberNotFound);
    expect(await createTask(services(), actor(backup), { memberId: member.id, ...fields(backup.id) })).toMatchObject({ ok: false, error: "notFound" });
    // Still the assignee and creator of the task they made.
    expect(await completeTask(services(), actor(backup), { taskId: task.id })).toEqual({ ok: true, changed: true });
  });

  it("refuses bad input with a message per field and keeps what was typed", async () => {
    const { manager, member } = await team();
    const long = "x".repeat(201);
    const typed = { title: long, dueOn: `${YEAR}-02-30`, assigneeId: "" };
    const errors = { title: ["tasks.error.titleTooLong"], dueOn: ["tasks.error.dueInvalid"], assigneeId: ["tasks.error.assigneeRequired"] };
    expect(await createTask(services(), actor(manager), { memberId: member.id, ...typed })).toEqual({ ok: false, error: "invalid", fieldErrors: errors });
    // The form gets the same errors back, with what was typed.
    const form = new FormData();
    for (const [k, v] of Object.entries({ intent: "create", memberId: member.id, ...typed })) form.set(k, v);
    expect(await runTaskAction(services(), actor(manager), form)).toMatchObject({ ok: false, failure: { errors, values: typed } });
    expect(await createTask(services(), actor(manager), { memberId: member.id, ...fields(member.id, { title: "   " }) })).toMatchObject({
      ok: false,
      fieldErrors: { title: ["tasks.error.titleRequired"] },
    });
    // A member is no assignee, and yesterday is no due day.
    expect(await createTask(services(), actor(manager), { memberId: member.id, ...fields(member.id, { dueOn: day(3, 9) }) })).toMatchObject({
      ok: false,
      fieldErrors: { assigneeId: ["tasks.error.assigneeInvalid"], dueOn: ["tasks.error.duePast"] },
    });
    expect(await db().followUpTask.count({ where: { memberId: member.id } })).toBe(0);
  });

  it("only admins read another person's task list", async () => {
    const { manager, member, staffOnly, admin } = await team();
    await created(await createTask(services(), actor(manager), { memberId: member.id, ...fields(manager.id) }));
    await expect(myTasks(services(), actor(staffOnly), { assigneeId: manager.id })).rejects.toBeInstanceOf(AccessDenied);
    const seen = await myTasks(services(), actor(admin), { assigneeId: manager.id });
    expect(seen.assigneeId).toBe(manager.id);
    expect([...seen.overdue, ...seen.dueToday, ...seen.upcoming]).toHaveLength(1);
    await expect(myTasks(services(), actor(admin), { assigneeId: member.id })).rejects.toBeInstanceOf(TaskNotFound);
  });

  it("sends a form back only to a path on this site", () => {
    expect(sameSitePath("/staff/members/abc?tab=tasks#t", "/staff/tasks")).toBe("/staff/members/abc?tab=tasks#t");
    for (const bad of ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "staff", "/a\nb", null, ""]) {
      expect(sameSitePath(bad, "/staff/tasks"), String(bad)).toBe("/staff/tasks");
    }
  });
});

describe("My tasks in the viewer's time zone", () => {
  it("the same three tasks are overdue / today / upcoming in Hanoi and today / upcoming in Bogotá at the same instant", async () => {
    const { manager, member } = await team();
    // 20:00 UTC on 10 March: 15:00 on the 10th in Bogotá (UTC−5), 03:00 on the 11th in Hanoi (UTC+7).
    clock.advance(at(`${day(3, 10)}T20:00:00`).getTime() - clock.now().getTime());
    await db().user.update({ where: { id: manager.id }, data: { timezone: "America/Bogota" } });
    for (const [title, dueOn] of [["A", day(3, 10)], ["B", day(3, 11)], ["C", day(3, 12)]] as const) {
      await created(await createTask(services(), actor(manager), { memberId: member.id, ...fields(manager.id, { title, dueOn }) }));
    }
    const titles = (list: { title: string }[]) => list.map((t) => t.title);

    const bogota = await myTasks(services(), actor(manager));
    expect(bogota.today).toBe(day(3, 10));
    expect([titles(bogota.overdue), titles(bogota.dueToday), titles(bogota.upcoming)]).toEqual([[], ["A"], ["B", "C"]]);

    await db().user.update({ where: { id: manager.id }, data: { timezone: "Asia/Ho_Chi_Minh" } });
    const hanoi = await myTasks(services(), actor(manager));
    expect(hanoi.today).toBe(day(3, 11));
    expect([titles(hanoi.overdue), titles(hanoi.dueToday), titles(hanoi.upcoming)]).toEqual([["A"], ["B"], ["C"]]);
    expect(hanoi.overdue[0]).toMatchObject({ overdue: true, dueToday: false });

    await completeTask(services(), actor(manager), { taskId: hanoi.dueToday[0]!.id });
    const after = await myTasks(services(), actor(manager));
    expect(titles(after.dueToday)).toEqual([]);
    expect(titles(after.done)).toEqual(["B"]);
  });
});

describe("the reminder on the due day", () => {
  async function dueNotices(userId: string, taskId?: string) {
    const rows = await db().notification.findMany({ where: { userId, kind: "task.due" }, select: { data: true, link: true } });
    return rows.filter((r) => !taskId || (r.data as { taskId?: string }).taskId === taskId);
  }
  function setClock(iso: string) {
    clock.advance(at(iso).getTime() - clock.now().getTime());
  }

  it("goes out once at 08:00 where the assignee is, and not for a task completed before then", async () => {
    const { manager, member } = await team();
    await db().user.update({ where: { id: manager.id }, data: { timezone: "Asia/Ho_Chi_Minh" } });
    setClock(`${day(4, 1)}T09:00:00`);
    const open = await created(await createTask(services(), actor(manager), { memberId: member.id, ...fields(manager.id, { title: "Gọi chị Châu", dueOn: day(4, 3) }) }));
    const doneEarly = await created(await createTask(services(), actor(manager), { memberId: member.id, ...fields(manager.id, { title: "Gửi catalogue", dueOn: day(4, 3) }) }));
    await services().dispatcher.drainNow();
    expect(await dueNotices(manager.id)).toEqual([]);

    // 08:00 in Hanoi on the 3rd is 01:00 UTC.
    setClock(`${day(4, 3)}T00:59:00`);
    await completeTask(services(), actor(manager), { taskId: doneEarly.id });
    await services().dispatcher.drainNow();
    expect(await dueNotices(manager.id)).toEqual([]);

    setClock(`${day(4, 3)}T01:00:00`);
    await services().dispatcher.drainNow();
    const notices = await dueNotices(manager.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ link: "/staff/tasks", data: { taskId: open.id, title: "Gọi chị Châu", dueOn: day(4, 3) } });
    expect(renderNotification("en", "task.due", notices[0]!.data)).toContain("Gọi chị Châu");

    clock.advance(3 * HOUR);
    await services().dispatcher.drainNow();
    expect(await dueNotices(manager.id)).toHaveLength(1);
  });

  it("a new due day schedules a new reminder and the old one does nothing; handing the task back and forth reminds once", async () => {
    const { manager, member, staffOnly } = await team();
    await db().user.update({ where: { id: manager.id }, data: { timezone: "America/Bogota" } });
    setClock(`${day(5, 1)}T12:00:00`);
    const task = await created(await createTask(services(), actor(manager), { memberId: member.id, ...fields(manager.id, { title: "Hẹn gặp ở Hội An", dueOn: day(5, 4) }) }));
    expect((await updateTask(services(), actor(manager), { taskId: task.id, ...fields(manager.id, { title: "Hẹn gặp ở Hội An", dueOn: day(5, 6) }) })).ok).toBe(true);

    // 08:00 in Bogotá on the 4th is 13:00 UTC: the stale reminder fires and does nothing.
    setClock(`${day(5, 4)}T13:05:00`);
    await services().dispatcher.drainNow();
    expect(await dueNotices(manager.id, task.id)).toEqual([]);

    // Away and back again before the day: the two reminders for the same day and person send one notice.
    setClock(`${day(5, 5)}T10:00:00`);
    await updateTask(services(), actor(manager), { taskId: task.id, ...fields(staffOnly.id, { title: "Hẹn gặp ở Hội An", dueOn: day(5, 6) }) });
    await updateTask(services(), actor(manager), { taskId: task.id, ...fields(manager.id, { title: "Hẹn gặp ở Hội An", dueOn: day(5, 6) }) });
    setClock(`${day(5, 6)}T12:59:00`);
    await services().dispatcher.drainNow();
    expect(await dueNotices(manager.id, task.id)).toEqual([]);
    setClock(`${day(5, 6)}T13:00:00`);
    await services().dispatcher.drainNow();
    expect(await dueNotices(manager.id, task.id)).toHaveLength(1);
    expect(await dueNotices(staffOnly.id, task.id)).toEqual([]);
    clock.advance(30 * MINUTE);
    await services().dispatcher.drainNow();
    expect(await dueNotices(manager.id, task.id)).toHaveLength(1);
  });
});
