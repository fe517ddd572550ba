/**
 * The staff console's members: who may open whom (through every function
 * and the socket), the list's filters and CSV, notes, interactions, stages
 * with history, and the engagement score recomputed, and shown live, as
 * touchpoints arrive.
 */
import { describe, expect, it } from "vitest";
import { MemberNotFound } from "../../../app/modules/console/access.server.ts";
import { openMemberPage, timelinePage } from "../../../app/modules/console/member-page.server.ts";
import { addNote, logInteraction, pinNote, setStage, setTags } from "../../../app/modules/console/record-commands.server.ts";
import { exportMembersCsv, parseMemberFilter, searchMembers } from "../../../app/modules/console/members.server.ts";
import { recomputeEngagement } from "../../../app/modules/console/engagement.server.ts";
import { setCoverage } from "../../../app/modules/presence/coverage.server.ts";
import { exportMemberData } from "../../../app/modules/members/my-data.server.ts";
import { recordTouchpoint } from "../../../app/modules/timeline/touchpoints.server.ts";
import type { MemberTouchpointEvent } from "../../../app/realtime/events.ts";
import { serverForThisFile } from "../../support/server.ts";
import { call, chatPeople } from "../../support/chat.ts";

const file = serverForThisFile();
const { db, person, tab } = chatPeople(file);
const services = () => file.t.server.services;
const actor = (u: { id: string; role: "member" | "staff" | "admin" | "moderator" }) => ({ id: u.id, role: u.role });
const DAY = 86_400_000;

async function team() {
  const manager = await person("staff");
  const stranger = await person("staff");
  const backup = await person("staff");
  const admin = await person("admin");
  const member = await person("member", manager.id);
  return { manager, stranger, backup, admin, member };
}

describe("who may open a member in the console", () => {
  it("the manager, a covering backup while the manager is away, and admins; nobody else, through any function or the socket", async () => {
    const c = await team();
    const meta = { ip: "127.0.0.1" };
    const reads = (who: { id: string; role: "member" | "staff" | "admin" | "moderator" }) => [
      () => openMemberPage(services(), actor(who), c.member.id, meta),
      () => timelinePage(services(), actor(who), c.member.id, {}),
    ];
    const writes = (who: { id: string; role: "member" | "staff" | "admin" | "moderator" }) => [
      () => addNote(services(), actor(who), { memberId: c.member.id, body: "x" }),
      () => pinNote(services(), actor(who), { memberId: c.member.id, noteId: "nope", pinned: true }),
      () => logInteraction(services(), actor(who), { memberId: c.member.id, channel: "call", summary: "x", occurredAt: new Date().toISOString() }),
      () => setStage(services(), actor(who), { memberId: c.member.id, stage: "build", reason: "because" }),
      () => setTags(services(), actor(who), { memberId: c.member.id, tags: "vip" }),
    ];
    for (const outsider of [c.stranger, c.backup, c.member]) {
      for (const attempt of reads(outsider)) await expect(attempt()).rejects.toBeInstanceOf(MemberNotFound);
      // A member (not staff) is refused before anything is read; staff outside the scope find no such member.
      for (const attempt of writes(outsider)) expect(await attempt()).toMatchObject({ ok: false, error: outsider.role === "member" ? "notAllowed" : "notFound" });
      expect((await searchMembers(services(), actor(outsider.role === "member" ? c.stranger : outsider), parseMemberFilter(new URLSearchParams("manager=all")))).rows.map((r) => r.id)).not.toContain(c.member.id);
    }
    expect(await call(await tab(c.stranger.id), "member:watch", { memberId: c.member.id })).toMatchObject({ ok: false, error: "notFound" });
    // Nothing was written by the refused attempts.
    expect(await db().staffNote.count({ where: { memberId: c.member.id } })).toBe(0);
    expect(await db().stageChange.count({ where: { memberId: c.member.id } })).toBe(0);

    expect((await openMemberPage(services(), actor(c.manager), c.member.id, meta)).access).toBe("manager");
    expect((await openMemberPage(services(), actor(c.admin), c.member.id, meta)).access).toBe("admin");
    expect(await call(await tab(c.admin.id), "member:watch", { memberId: c.member.id })).toMatchObject({ ok: true });
    // Opening is audited.
    expect(await db().auditLog.count({ where: { targetMemberId: c.member.id, action: "member.viewed" } })).toBe(2);

    // Cover: the backup may open the member only while the manager has no tab open.
    await setCoverage(services(), actor(c.admin), { managerId: c.manager.id, backup: c.backup.id });
    expect((await openMemberPage(services(), actor(c.backup), c.member.id, meta)).access).toBe("backup");
    expect((await searchMembers(services(), actor(c.backup), parseMemberFilter(new URLSearchParams("manager=all")))).rows.map((r) => r.id)).toContain(c.member.id);
    await tab(c.manager.id);
    await expect(openMemberPage(services(), actor(c.backup), c.member.id, meta)).rejects.toBeInstanceOf(MemberNotFound);
  });
});

describe("notes, interactions, stages and tags", () => {
  it("keeps private notes pinned first, logs interactions, keeps the stage history, and none of it reaches the member's export", async () => {
    const c = await team();
    const as = actor(c.manager);
    expect(await addNote(services(), as, { memberId: c.member.id, body: "" })).toMatchObject({ ok: false, fieldErrors: { body: ["crm.error.noteBody"] } });
    const first = await addNote(services(), as, { memberId: c.member.id, body: "Prefers **morning** calls <script>alert(1)</script>" });
    const second = await addNote(services(), as, { memberId: c.member.id, body: "Birthday in March", pinned: true });
    if (!first.ok || !second.ok) throw new Error("notes not added");
    expect(await pinNote(services(), actor(c.admin), { memberId: c.member.id, noteId: first.id, pinned: true })).toEqual({ ok: true });
    expect(await pinNote(services(), actor(c.admin), { memberId: c.member.id, noteId: "missing", pinned: true })).toMatchObject({ ok: false, message: { key: "crm.error.noteGone" } });

    expect(await logInteraction(services(), as, { memberId: c.member.id, channel: "fax", summary: "", occurredAt: "soon" })).toMatchObject({
      ok: false,
      fieldErrors: { channel: ["crm.error.channel"], summary: ["crm.error.summary"], occurredAt: ["crm.error.when"] },
    });
    expect(await logInteraction(services(), as, { memberId: c.member.id, channel: "call", summary: "later", occurredAt: new Date(Date.now() + DAY).toISOString() })).toMatchObject({
      ok: false,
      fieldErrors: { occurredAt: ["crm.error.future"] },
    });
    expect((await logInteraction(services(), as, { memberId: c.member.id, channel: "meeting", summary: "Quarterly review at their office", occurredAt: new Date().toISOString() })).ok).toBe(true);

    expect(await setStage(services(), as, { memberId: c.member.id, stage: "orbit", reason: "" })).toMatchObject({ ok: false, fieldErrors: { stage: ["crm.error.stage"], reason: ["crm.error.reason"] } });
    expect(await setStage(services(), as, { memberId: c.member.id, stage: "build", reason: "Two orders this month" })).toEqual({ ok: true });
    expect(await setStage(services(), as, { memberId: c.member.id, stage: "build", reason: "again" })).toMatchObject({ ok: false, fieldErrors: { stage: ["crm.error.sameStage"] } });
    expect(await setStage(services(), actor(c.admin), { memberId: c.member.id, stage: "develop", reason: "Joined the beta group" })).toEqual({ ok: true });

    expect(await setTags(services(), as, { memberId: c.member.id, tags: "VIP, wholesale vip" })).toEqual({ ok: true });
    expect(await setTags(services(), as, { memberId: c.member.id, tags: "no spaces allowed!" })).toMatchObject({ ok: false, fieldErrors: { tags: ["crm.error.tag"] } });

    const page = await openMemberPage(services(), as, c.member.id, { ip: "127.0.0.1" });
    expect(page.notes.map((n) => [n.pinned, n.body])).toEqual([
      [true, "Birthday in March"],
      [true, "Prefers **morning** calls <script>alert(1)</script>"],
    ]);
    expect(page.notes[1]!.bodyHtml).not.toContain("<script>");
    expect(page.member.stage).toBe("develop");
    expect(page.stageHistory.map((h) => [h.fromStage, h.toStage, h.reason])).toEqual([
      ["build", "develop", "Joined the beta group"],
      ["attract", "build", "Two orders this month"],
    ]);
    expect(page.member.tags.map((t) => t.tag)).toEqual(["vip", "wholesale"]);
    const kinds = page.timeline.items.map((i) => i.kind);
    expect(kinds.filter((k) => k === "staff.note_added")).toHaveLength(2);
    expect(kinds).toEqual(expect.arrayContaining(["interaction.logged", "stage.changed"]));
    expect(page.timeline.items.find((i) => i.kind === "interaction.logged")?.link).toBe("#interactions");

    const exported = JSON.stringify(await exportMemberData(services(), actor(c.member), { memberId: c.member.id }, { ip: "127.0.0.1" }));
    for (const secret of ["Birthday in March", "staff.note_added", "stage.changed", "Quarterly review"]) expect(exported).not.toContain(secret);
  });
});

describe("the member list", () => {
  it("searches, filters by stage, tag, activity and engagement, sorts, and exports the same filter as CSV safely", async () => {
    const manager = await person("staff");
    const make = async (name: string, company: string, extra: { stage?: "build" | "loyal"; score?: number; daysIdle?: number; tag?: string }) => {
      const m = await person("member", manager.id);
      await db().user.update({
        where: { id: m.id },
        data: {
          displayName: name, company, stage: extra.stage ?? "attract", engagementScore: extra.score ?? 0,
          lastActivityAt: extra.daysIdle === undefined ? null : new Date(Date.now() - extra.daysIdle * DAY),
        },
      });
      if (extra.tag) await db().memberTag.create({ data: { memberId: m.id, tag: extra.tag } });
      return m;
    };
    const an = await make("Nguyễn Văn An", "Cà phê Đà Lạt", { stage: "loyal", score: 55, daysIdle: 2, tag: "vip" });
    const binh = await make("Bình Trần", "=HYPERLINK(\"http://evil\")", { stage: "build", score: 12, daysIdle: 40 });
    const chi = await make("Chi Lê", "Trà xanh", { score: 1, daysIdle: 200 });
    const find = async (query: string) => (await searchMembers(services(), actor(manager), parseMemberFilter(new URLSearchParams(query)))).rows.map((r) => r.displayName);

    expect(await find("")).toEqual(["Nguyễn Văn An", "Bình Trần", "Chi Lê"]); // last activity, newest first
    expect(await find("q=đà lạt")).toEqual(["Nguyễn Văn An"]);
    expect(await find("stage=build")).toEqual(["Bình Trần"]);
    expect(await find("tag=vip")).toEqual(["Nguyễn Văn An"]);
    expect(await find("active=30")).toEqual(["Nguyễn Văn An"]);
    expect(await find("active=inactive90")).toEqual(["Chi Lê"]);
    expect(await find("engagement=medium")).toEqual(["Bình Trần"]);
    // The top band has no upper bound: a bound past the integer column's range once failed the query.
    expect(await find("engagement=high")).toEqual(["Nguyễn Văn An"]);
    expect(await find("engagement=low")).toEqual(["Chi Lê"]);
    expect(await find("sort=name")).toEqual(["Bình Trần", "Chi Lê", "Nguyễn Văn An"]);
    expect(await find("sort=score&dir=asc")).toEqual(["Chi Lê", "Bình Trần", "Nguyễn Văn An"]);
    // Garbage in the query string falls back to defaults instead of failing.
    expect(await find("sort=drop+table&page=-4&stage=nope")).toHaveLength(3);

    const csv = await exportMembersCsv(services(), actor(manager), parseMemberFilter(new URLSearchParams("sort=name")), { ip: "127.0.0.1" });
    const lines = csv!.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("name,email,company,phone,stage,account_manager,engagement_score,last_activity,member_since,tags");
    expect(lines).toHaveLength(4);
    // A formula in a cell is defused, and quotes are escaped.
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[3]).toContain("Nguyễn Văn An");
    expect(await db().auditLog.count({ where: { actorId: manager.id, action: "member.list_exported" } })).toBe(1);
    void an;
    void binh;
    void chi;
  });
});

describe("the member list's manager filter", () => {
  it("shows staff their own members (another manager's id widens nothing), and lets an admin pick a manager, nobody's, or all", async () => {
    const { manager, stranger, admin, member } = await team();
    const theirs = await person("member", stranger.id);
    const nobodys = await person("member");
    const ids = async (who: Parameters<typeof actor>[0], query: string) =>
      (await searchMembers(services(), actor(who), parseMemberFilter(new URLSearchParams(query)))).rows.map((r) => r.id);
    expect(await ids(manager, "")).toEqual([member.id]);
    expect(await ids(manager, `manager=${stranger.id}`)).toEqual([member.id]);
    expect(await ids(stranger, "manager=all")).toEqual([theirs.id]);
    expect(await ids(admin, `manager=${stranger.id}`)).toEqual([theirs.id]);
    expect(await ids(admin, "manager=none")).toContain(nobodys.id);
    expect(await ids(admin, "manager=none")).not.toContain(member.id);
    expect(await ids(admin, "manager=all&sort=since&dir=desc")).toEqual(expect.arrayContaining([member.id, theirs.id, nobodys.id]));
  });
});

describe("engagement, as touchpoints arrive", () => {
  it("recomputes the stored score by the documented rule and shows new touchpoints live to staff watching the member", async () => {
    const c = await team();
    const now = Date.now();
    await db().$transaction(async (tx) => {
      // 3 replies today (3 points each), a thread 30 days ago (5 × ½), a staff-set preference (does not count).
      for (let i = 0; i < 3; i++) await recordTouchpoint(tx, { memberId: c.member.id, kind: "forum.replied", actorId: c.member.id, at: new Date(now - i * 1000) });
      await recordTouchpoint(tx, { memberId: c.member.id, kind: "forum.thread_started", actorId: c.member.id, at: new Date(now - 30 * DAY) });
      await recordTouchpoint(tx, { memberId: c.member.id, kind: "preference.set", actorId: c.manager.id, at: new Date(now) });
      await recordTouchpoint(tx, { memberId: c.member.id, kind: "forum.replied", actorId: c.member.id, at: new Date(now - 200 * DAY) }); // outside the window
    });
    expect(await recomputeEngagement(db(), c.member.id, new Date(now))).toBe(Math.round(9 + 2.5));

    const watcher = await tab(c.manager.id);
    expect(await call(watcher, "member:watch", { memberId: c.member.id })).toMatchObject({ ok: true });
    const live = new Promise<MemberTouchpointEvent>((resolve) => watcher.on("member:touchpoint", (e: MemberTouchpointEvent) => e.item?.kind === "interaction.logged" && resolve(e)));
    await logInteraction(services(), actor(c.manager), { memberId: c.member.id, channel: "call", summary: "Called about the new catalogue", occurredAt: new Date().toISOString() });
    services().outbox.kick();
    const event = await live;
    // 11.5 before, plus a call (4) now.
    expect(event).toMatchObject({ memberId: c.member.id, score: 16, item: { kind: "interaction.logged", data: { channel: "call" } } });
    const stored = await db().user.findUniqueOrThrow({ where: { id: c.member.id }, select: { engagementScore: true, lastActivityAt: true } });
    expect(stored.engagementScore).toBe(16);
    expect(stored.lastActivityAt).not.toBeNull();
  });
});
