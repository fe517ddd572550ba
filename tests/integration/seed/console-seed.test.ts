/** The staff console's demo data: the dashboard and "My tasks" have real shapes to show. */
import { describe, expect, it } from "vitest";
import { seedDemoData } from "../../../prisma/seed.ts";
import { loadDashboard } from "../../../app/modules/console/dashboard.server.ts";
import { myTasks } from "../../../app/modules/console/tasks.server.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();
const db = () => services.db;

describe("the console's demo data", () => {
  it("gives notes, tasks overdue, due today and done, logged calls, all seven stages with their history, and tags", async () => {
    expect(await seedDemoData(db(), services.clock.now())).toEqual({ created: true });

    expect(await db().staffNote.count({ where: { pinned: true } })).toBeGreaterThan(0);
    expect(await db().staffNote.count({ where: { pinned: false } })).toBeGreaterThan(0);
    expect(await db().interaction.count({ where: { channel: "call" } })).toBeGreaterThan(0);
    expect(await db().interaction.count({ where: { channel: "meeting" } })).toBeGreaterThan(0);
    expect(await db().memberTag.groupBy({ by: ["tag"], _count: { _all: true }, orderBy: { tag: "asc" } })).toEqual([
      { tag: "newsletter-fan", _count: { _all: 5 } },
      { tag: "vip", _count: { _all: 3 } },
      { tag: "wholesale", _count: { _all: 4 } },
    ]);

    const stages = await db().user.groupBy({ by: ["stage"], where: { role: { in: ["member", "moderator"] } }, _count: { _all: true } });
    expect(stages).toHaveLength(7);
    // Each member's history walks up to the stage they are in, one touchpoint per step.
    const loyal = await db().user.findFirstOrThrow({ where: { stage: "loyal" }, select: { id: true } });
    const history = await db().stageChange.findMany({ where: { memberId: loyal.id }, orderBy: { createdAt: "asc" }, select: { fromStage: true, toStage: true } });
    expect(history.map((h) => h.toStage)).toEqual(["establish", "build", "develop", "maintain", "strengthen", "loyal"]);
    expect(await db().touchpoint.count({ where: { memberId: loyal.id, kind: "stage.changed" } })).toBe(6);
    const interaction = await db().interaction.findFirstOrThrow({ select: { id: true, summary: true } });
    expect(await db().touchpoint.findFirstOrThrow({ where: { kind: "interaction.logged", subjectId: interaction.id } })).toMatchObject({
      subjectType: "interaction",
      data: { summary: interaction.summary.slice(0, 140) },
    });

    const staff1 = await db().user.findUniqueOrThrow({ where: { email: "staff1@rapport.local" }, select: { id: true, role: true } });
    const tasks = await myTasks(services, staff1);
    expect(tasks.overdue.length).toBeGreaterThan(0);
    expect(tasks.dueToday.length).toBeGreaterThan(0);
    expect(tasks.upcoming.length).toBeGreaterThan(0);
    expect(tasks.done.length).toBeGreaterThan(0);

    const admin = await db().user.findUniqueOrThrow({ where: { email: "admin@rapport.local" }, select: { id: true, role: true } });
    const dashboard = await loadDashboard(services, admin, new URLSearchParams({ days: "90" }));
    expect(dashboard.stages.every((s) => s.count > 0)).toBe(true);
    expect(dashboard.overdueTasks.total).toBeGreaterThan(0);
    expect(dashboard.forumByDay.some((d) => d.threads > 0)).toBe(true);
    expect(dashboard.ratings.length).toBeGreaterThan(0);
  });
});
