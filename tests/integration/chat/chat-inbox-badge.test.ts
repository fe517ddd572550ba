/**
 * The staff Inbox link's unread badge, over real sockets: it counts the
 * conversations waiting for this staff member (theirs, and those of a
 * manager they cover), goes up when a member writes and down when they read
 * it in any tab, and is right on page load and on every (re)connection.
 */
import { describe, expect, it } from "vitest";
import { loader as rootLoader } from "../../../app/root.tsx";
import { setCoverage } from "../../../app/modules/presence/coverage.server.ts";
import { openSocket, serverForThisFile, type TestSocket } from "../../support/server.ts";
import { call, chatPeople, open, send } from "../../support/chat.ts";
import { routeAnswer, routeContext, ORIGIN } from "../../support/routes.ts";
import type { Person } from "../../factories/actors.ts";

const file = serverForThisFile();
const { db, person, tab } = chatPeople(file);
const services = () => file.t.server.services;

/** The next inbox:unread on this socket carrying `count`. */
function badge(socket: TestSocket, count: number, timeoutMs = 3_000) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no inbox:unread of ${count} within ${timeoutMs} ms`)), timeoutMs);
    const handler = (p: { unread: number }) => {
      if (p.unread !== count) return;
      clearTimeout(timer);
      socket.off("inbox:unread", handler);
      resolve();
    };
    socket.on("inbox:unread", handler);
  });
}

/** A new tab, and the badge count the server sent it on connecting. */
async function tabWithBadge(userId: string) {
  const session = await services().auth.createSession(userId, { userAgent: "vitest", ip: "127.0.0.1" });
  const { socket, outcome } = openSocket(file.t.origin, { cookie: `rapport_session=${session.id}`, origin: file.t.origin });
  file.sockets.push(socket);
  const sent = new Promise<number>((resolve) => socket.once("inbox:unread", (p) => resolve(p.unread)));
  const { error } = await outcome;
  if (error) throw error;
  return { socket, onConnect: await sent };
}

async function badgeOnPageLoad(user: { id: string }) {
  const row = await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, email: true, displayName: true, role: true } });
  const answer = await routeAnswer(() => rootLoader({ request: new Request(`${ORIGIN}/staff`), context: routeContext(services(), row as Person), params: {} }));
  return (answer.data as { inboxUnread: number | null }).inboxUnread;
}

describe("the staff Inbox badge", () => {
  it("counts each waiting conversation once, live in every tab, and drops when the staff member reads it in one of them", async () => {
    const manager = await person("staff");
    const first = await tabWithBadge(manager.id);
    const second = await tabWithBadge(manager.id);
    expect([first.onConnect, second.onConnect]).toEqual([0, 0]);
    expect(await badgeOnPageLoad(manager)).toBe(0);

    const anh = await person("member", manager.id);
    const anhTab = await tab(anh.id);
    const anhChat = (await open(anhTab)).conversation.id;
    let bothSee = Promise.all([badge(first.socket, 1), badge(second.socket, 1)]);
    expect((await send(anhTab, anhChat, "Chào chị, em hỏi chút ạ.")).ok).toBe(true);
    await bothSee;
    // A second message in the same conversation is still one conversation waiting.
    const stillOne = badge(second.socket, 1);
    expect((await send(anhTab, anhChat, "Về hóa đơn tháng này.")).ok).toBe(true);
    await stillOne;

    const binh = await person("member", manager.id);
    const binhTab = await tab(binh.id);
    const binhChat = (await open(binhTab)).conversation.id;
    bothSee = Promise.all([badge(first.socket, 2), badge(second.socket, 2)]);
    expect((await send(binhTab, binhChat, "Hello, a quick question.")).ok).toBe(true);
    await bothSee;
    expect(await badgeOnPageLoad(manager)).toBe(2);

    // Read in the first tab: the second tab's badge follows.
    const opened = await open(first.socket, anhChat);
    const secondFollows = badge(second.socket, 1);
    expect(await call(first.socket, "chat:read", { conversationId: anhChat, seq: opened.conversation.lastSeq })).toMatchObject({ ok: true });
    await secondFollows;
    expect(await badgeOnPageLoad(manager)).toBe(1);

    // After a dropped connection, the new socket is told the count it missed.
    first.socket.disconnect();
    expect((await send(anhTab, anhChat, "Chị ơi?")).ok).toBe(true);
    const again = await tabWithBadge(manager.id);
    expect(again.onConnect).toBe(2);
  });

  it("counts a covered manager's waiting member while the manager is offline, and stops when the manager is back", async () => {
    const manager = await person("staff");
    const backup = await person("staff");
    const admin = await person("admin");
    expect(await setCoverage(services(), { id: admin.id, role: "admin" }, { managerId: manager.id, backup: backup.id })).toEqual({ ok: true });
    const backupTab = await tabWithBadge(backup.id);
    expect(backupTab.onConnect).toBe(0);

    const member = await person("member", manager.id);
    const memberTab = await tab(member.id);
    const conversationId = (await open(memberTab)).conversation.id;
    const counted = badge(backupTab.socket, 1);
    expect((await send(memberTab, conversationId, "Có ai trực không ạ?")).ok).toBe(true);
    await counted;
    expect(await badgeOnPageLoad(backup)).toBe(1);

    // The manager opens a tab: cover ends, and the backup's badge with it.
    const ended = badge(backupTab.socket, 0);
    const managerTab = await tabWithBadge(manager.id);
    await ended;
    expect(managerTab.onConnect).toBe(1);
    expect(await badgeOnPageLoad(backup)).toBe(0);
  });

  it("is not sent to members, and the page gives them none", async () => {
    const member = await person("member");
    const seen: unknown[] = [];
    const session = await services().auth.createSession(member.id, { userAgent: "vitest", ip: "127.0.0.1" });
    const { socket, outcome } = openSocket(file.t.origin, { cookie: `rapport_session=${session.id}`, origin: file.t.origin });
    file.sockets.push(socket);
    socket.on("inbox:unread", (p) => seen.push(p));
    await outcome;
    expect(seen).toEqual([]);
    expect(await badgeOnPageLoad(member)).toBeNull();
  });
});
