/**
 * The console's task and dashboard routes, called as Remix calls them:
 * every loader and action checks who is asking on the server.
 */
import { describe, expect, it } from "vitest";
import { action as tasksAction, loader as tasksLoader } from "../../../app/routes/staff.tasks.tsx";
import { loader as dashboardLoader } from "../../../app/routes/staff._index.tsx";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { ORIGIN, routeAnswer, routeContext } from "../../support/routes.ts";

const services = servicesForThisFile();
const SOON = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
const context = (person: Person | null) => routeContext(services, person);
const answer = routeAnswer;

const get = (path: string, who: Person | null, loader: typeof tasksLoader | typeof dashboardLoader) =>
  answer(() => loader({ request: new Request(`${ORIGIN}${path}`), context: context(who), params: {} }) as Promise<unknown>);

const post = (who: Person | null, fields: Record<string, string>) => {
  const body = new URLSearchParams(fields);
  return answer(
    () =>
      tasksAction({
        request: new Request(`${ORIGIN}/staff/tasks`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } }),
        context: context(who),
        params: {},
      }) as Promise<unknown>,
  );
};

describe("the task and dashboard routes", () => {
  it("send a visitor to log in and refuse members", async () => {
    const member = await createMember(services.db);
    expect(await get("/staff", null, dashboardLoader)).toMatchObject({ status: 302, location: expect.stringMatching(/^\/login/) });
    expect(await get("/staff/tasks", null, tasksLoader)).toMatchObject({ status: 302 });
    expect(await get("/staff", member, dashboardLoader)).toMatchObject({ status: 403 });
    expect(await get("/staff/tasks", member, tasksLoader)).toMatchObject({ status: 403 });
    expect(await post(member, { intent: "create", memberId: member.id, title: "x", dueOn: "2099-01-01", assigneeId: member.id })).toMatchObject({ status: 403 });
  });

  it("give staff a 404 for a member they do not look after, a 403 for another person's list, and admins anyone's", async () => {
    const manager = await createStaff(services.db);
    const other = await createStaff(services.db);
    const admin = await createAdmin(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id });
    const fields = { intent: "create", memberId: member.id, title: "Gọi lại", dueOn: "2099-01-01", assigneeId: other.id };
    expect(await post(other, fields)).toMatchObject({ status: 404 });
    expect(await get(`/staff/tasks?assignee=${manager.id}`, other, tasksLoader)).toMatchObject({ status: 403 });
    expect(await get(`/staff/tasks?assignee=${manager.id}`, admin, tasksLoader)).toMatchObject({ status: 200, data: { viewingOther: true, assigneeId: manager.id } });
  });

  it("answer a fetcher with data, a plain form with a redirect to a path on this site only, and bad input with 400 and the reasons", async () => {
    const manager = await createStaff(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id });
    const base = { intent: "create", memberId: member.id, title: "Gửi báo giá", dueOn: SOON, assigneeId: manager.id };
    expect(await post(manager, { ...base, _fetcher: "1" })).toMatchObject({ status: 200, data: { ok: true, intent: "create" } });
    expect(await post(manager, { ...base, redirectTo: `/staff/members/${member.id}` })).toMatchObject({ status: 302, location: `/staff/members/${member.id}` });
    expect(await post(manager, { ...base, redirectTo: "//evil.example/phish" })).toMatchObject({ status: 302, location: "/staff/tasks" });
    expect(await post(manager, { ...base, title: "", _fetcher: "1" })).toMatchObject({
      status: 400,
      data: { ok: false, intent: "create", errors: { title: ["tasks.error.titleRequired"] }, values: { title: "", dueOn: SOON } },
    });
    expect(await post(manager, { intent: "delete-everything" })).toMatchObject({ status: 400, data: { errors: { form: ["tasks.error.unknown"] } } });
    expect(await services.db.followUpTask.count({ where: { memberId: member.id } })).toBe(3);
  });
});
