/**
 * The member record's routes, called as Remix calls them: the page, its
 * actions (preferences, notes, interactions, stage, tags), the timeline
 * pages and the CSV, for the manager, an admin and staff who may not see
 * the member.
 */
import { describe, expect, it } from "vitest";
import { action as memberAction, loader as memberLoader } from "../../../app/routes/staff.members.$memberId.tsx";
import { loader as timelineLoader } from "../../../app/routes/staff.members_.$memberId.timeline.tsx";
import { loader as csvLoader } from "../../../app/routes/staff.members[.csv].tsx";
import { loader as listLoader } from "../../../app/routes/staff.members._index.tsx";
import { action as tasksAction } from "../../../app/routes/staff.tasks.tsx";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { ORIGIN, formPost, routeAnswer, routeContext } from "../../support/routes.ts";

const services = servicesForThisFile();

const page = (who: Person, memberId: string, query = "") =>
  routeAnswer(() => memberLoader({ request: new Request(`${ORIGIN}/staff/members/${memberId}${query}`), context: routeContext(services, who), params: { memberId } }) as Promise<unknown>);
const act = (who: Person, memberId: string, fields: Record<string, string>) =>
  routeAnswer(() => memberAction({ request: formPost(`/staff/members/${memberId}`, fields), context: routeContext(services, who), params: { memberId } }) as Promise<unknown>);

describe("a member's record, through its routes", () => {
  it("opens for the manager and admins, is a 404 for other staff through the page, every action and the timeline, and a 403 for members", async () => {
    const manager = await createStaff(services.db);
    const stranger = await createStaff(services.db);
    const admin = await createAdmin(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id });

    expect((await page(manager, member.id)).status).toBe(200);
    expect((await page(admin, member.id)).status).toBe(200);
    expect((await page(stranger, member.id)).status).toBe(404);
    expect((await page(member, member.id)).status).toBe(403);
    const writes: Record<string, string>[] = [
      { intent: "note.add", body: "x" },
      { intent: "note.pin", noteId: "x" },
      { intent: "note.unpin", noteId: "x" },
      { intent: "note.delete", noteId: "x" },
      { intent: "interaction.log", channel: "call", summary: "x", occurredAt: new Date().toISOString() },
      { intent: "stage.set", stage: "build", reason: "because" },
      { intent: "tags.set", tags: "vip" },
      { intent: "save", key: "packaging", value: "gift" },
      { intent: "delete", key: "packaging" },
      { intent: "anything else" },
    ];
    for (const fields of writes) expect((await act(stranger, member.id, fields)).status, fields.intent).toBe(404);
    expect(await services.db.memberPreference.count({ where: { memberId: member.id } })).toBe(0);
    // Tasks on that member (the socket's member:watch: console-members.test.ts).
    const task = (who: Person, fields: Record<string, string>) =>
      routeAnswer(() => tasksAction({ request: formPost("/staff/tasks", fields), context: routeContext(services, who), params: {} }) as Promise<unknown>);
    const dueOn = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await task(stranger, { intent: "create", memberId: member.id, title: "x", dueOn, assigneeId: stranger.id })).status).toBe(404);
    expect((await task(manager, { intent: "create", memberId: member.id, title: "Call back", dueOn, assigneeId: manager.id, _fetcher: "1" })).status).toBe(200);
    const { id: taskId } = await services.db.followUpTask.findFirstOrThrow({ where: { memberId: member.id }, select: { id: true } });
    for (const intent of ["complete", "reopen", "update"]) expect((await task(stranger, { intent, taskId, title: "x", dueOn, assigneeId: stranger.id })).status, intent).toBe(404);
    expect(
      (await routeAnswer(() => timelineLoader({ request: new Request(`${ORIGIN}/staff/members/${member.id}/timeline`), context: routeContext(services, stranger), params: { memberId: member.id } }) as Promise<unknown>)).status,
    ).toBe(404);
  });

  it("the manager saves a preference, a note and a stage, and the page shows them", async () => {
    const manager = await createStaff(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id });
    expect(await act(manager, member.id, { intent: "save", key: "packaging", value: "gift" })).toMatchObject({ status: 200, data: { ok: true, key: "packaging" } });
    expect(await act(manager, member.id, { intent: "note.add", body: "Thích quà gói giấy kraft" })).toMatchObject({ status: 200, data: { ok: true } });
    expect(await act(manager, member.id, { intent: "note.add", body: "" })).toMatchObject({ status: 400, data: { ok: false, fieldErrors: { body: ["crm.error.noteBody"] } } });
    expect(await act(manager, member.id, { intent: "stage.set", stage: "build", reason: "Đặt hàng đều" })).toMatchObject({ status: 200 });
    const opened = (await page(manager, member.id)) as { status: number; data: { preferences: { key: string }[]; notes: { body: string }[]; member: { stage: string } } };
    expect(opened.status).toBe(200);
    expect(opened.data.preferences.map((p) => p.key)).toContain("packaging");
    expect(opened.data.notes.map((n) => n.body)).toEqual(["Thích quà gói giấy kraft"]);
    expect(opened.data.member.stage).toBe("build");
  });

  it("a Loyal member stays Loyal when the manager saves the stage the page starts on; the suggestion is taken only by its own button", async () => {
    const manager = await createStaff(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id });
    await services.db.user.update({ where: { id: member.id }, data: { stage: "loyal" } });
    const opened = (await page(manager, member.id)) as { data: { member: { stage: string }; engagement: { suggestion: { stage: string } } } };
    // A new member with no activity: the engagement rule suggests a much earlier stage.
    expect(opened.data.member.stage).toBe("loyal");
    expect(opened.data.engagement.suggestion.stage).toBe("establish");

    // Saving what the list shows (the current stage) changes nothing and says why.
    expect(await act(manager, member.id, { intent: "stage.set", stage: "loyal", reason: "Nothing new" })).toMatchObject({ status: 400, data: { fieldErrors: { stage: ["crm.error.sameStage"] } } });
    expect(await services.db.stageChange.count({ where: { memberId: member.id } })).toBe(0);

    // "Use the suggestion" sends the suggested stage, whatever the list holds.
    expect(await act(manager, member.id, { intent: "stage.set", stage: "loyal", suggested: "establish", reason: "Quiet since joining" })).toMatchObject({ status: 200, data: { ok: true } });
    const changes = await services.db.stageChange.findMany({ where: { memberId: member.id }, select: { fromStage: true, toStage: true, reason: true } });
    expect(changes).toEqual([{ fromStage: "loyal", toStage: "establish", reason: "Quiet since joining" }]);
  });

  it("lists and exports only the viewer's members", async () => {
    const manager = await createStaff(services.db);
    const other = await createStaff(services.db);
    const mine = await createMember(services.db, { accountManagerId: manager.id, displayName: "Hồ Xuân Mai" });
    const theirs = await createMember(services.db, { accountManagerId: other.id, displayName: "Lý Thường Kiệt" });
    const list = (await routeAnswer(() => listLoader({ request: new Request(`${ORIGIN}/staff/members?manager=all`), context: routeContext(services, manager), params: {} }) as Promise<unknown>)) as {
      data: { rows: { id: string }[] };
    };
    expect(list.data.rows.map((r) => r.id)).toEqual([mine.id]);
    const csv = (await csvLoader({ request: new Request(`${ORIGIN}/staff/members.csv?manager=all`), context: routeContext(services, manager), params: {} })) as Response;
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await csv.text();
    expect(text).toContain("Hồ Xuân Mai");
    expect(text).not.toContain(theirs.displayName);
  });
});
