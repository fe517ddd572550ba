/**
 * The thread page's forms: one intent union parsed once, each intent run by its command,
 * refusals answered by the one adapter with the page's wording.
 */
import { describe, expect, it } from "vitest";
import { action as threadAction } from "../../../app/routes/community.t.$threadId.tsx";
import { startThread } from "../../../app/modules/forums/forums.server.ts";
import { createMember, createStaff, type Person } from "../../factories/actors.ts";
import { createCategory } from "../../factories/forums.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { formPost, routeAnswer, routeContext } from "../../support/routes.ts";

const services = servicesForThisFile({ tickMs: 60_000 });

const act = (who: Person | null, threadId: string, fields: Record<string, string>) =>
  routeAnswer(() => threadAction({ request: formPost(`/community/t/${threadId}`, fields), context: routeContext(services, who), params: { threadId } }) as Promise<unknown>) as Promise<{
    status: number;
    data: { ok: boolean; intent: string; error?: string; formError: string | null; fieldErrors: Record<string, string[]>; body: string };
    headers?: Headers;
  }>;

async function thread() {
  const author = await createMember(services.db);
  const category = await createCategory(services.db);
  const started = await startThread(services, author.actor, { categoryId: category.id, title: "Ấm đun nước có chế độ giữ ấm không?", body: `Mình cần giữ 80 độ ${Math.random()}` });
  if (!started.ok) throw new Error("start failed");
  const opening = await services.db.forumPost.findFirstOrThrow({ where: { threadId: started.threadId }, select: { id: true } });
  return { author, threadId: started.threadId, openingId: opening.id };
}

describe("the thread page's forms", () => {
  it("answers an unknown intent or a form missing its post with a 400 and a reason, and writes nothing", async () => {
    const { threadId } = await thread();
    const member = await createMember(services.db);
    const forms: Record<string, string>[] = [{ intent: "teleport" }, { intent: "react", kind: "like" }, { intent: "delete" }, { intent: "edit", postId: "x", position: "not a number" }];
    for (const fields of forms) {
      const answer = await act(member, threadId, fields);
      expect(answer.status, fields.intent).toBe(400);
      expect(answer.data).toMatchObject({ ok: false, intent: fields.intent, error: "invalid" });
    }
    expect(await services.db.forumPost.count({ where: { threadId } })).toBe(1);
  });

  it("a plain post without an intent is a reply; a refused one keeps its text and says why in the writer's words", async () => {
    const { threadId } = await thread();
    const member = await createMember(services.db);
    expect(await act(member, threadId, { body: "Có, ba mức nhiệt." })).toMatchObject({ status: 200, data: { ok: true, intent: "reply" } });
    // (This file's clock moves a minute per reading, so the interval has passed; the same text has not.)
    const again = await act(member, threadId, { body: "Có, ba mức nhiệt." });
    expect(again).toMatchObject({ status: 409, data: { ok: false, intent: "reply", error: "duplicate", body: "Có, ba mức nhiệt." } });
    expect(again.data.formError).toBe("You posted exactly this a moment ago. Change it, or wait a few minutes.");
    const empty = await act(member, threadId, { intent: "reply", body: "" });
    expect(empty).toMatchObject({ status: 400, data: { ok: false, error: "invalid", fieldErrors: { body: ["forum.bodyTooShort"] }, formError: null } });
  });

  it("refusals of the other intents say why: not yours, already flagged, locked", async () => {
    const { author, threadId, openingId } = await thread();
    const member = await createMember(services.db);
    expect(await act(member, threadId, { intent: "hide", postId: openingId, position: "1" })).toMatchObject({ status: 403, data: { error: "notAllowed", formError: "You can't open this page" } });
    expect(await act(author, threadId, { intent: "react", postId: openingId, kind: "like", position: "1" })).toMatchObject({
      status: 409, data: { error: "ownPost", formError: "You cannot react to your own post." },
    });
    await expect(act(member, threadId, { intent: "flag", postId: openingId, reason: "spam" })).resolves.toMatchObject({ status: 200, data: { ok: true } });
    expect(await act(member, threadId, { intent: "flag", postId: openingId, reason: "spam" })).toMatchObject({ status: 409, data: { error: "alreadyFlagged", formError: "You already flagged this post." } });
    const staff = await createStaff(services.db);
    expect((await act(staff, threadId, { intent: "lock" })).status).toBe(302);
    expect(await act(member, threadId, { intent: "reply", body: "Còn trả lời được không?" })).toMatchObject({
      status: 409, data: { error: "locked", formError: "This thread is locked: no new replies.", body: "Còn trả lời được không?" },
    });
  });
});
