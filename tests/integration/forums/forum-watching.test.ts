import { describe, expect, it } from "vitest";
import { replyToThread, startThread } from "../../../app/modules/forums/forums.server.ts";
import { setCategoryWatch, setThreadWatch } from "../../../app/modules/forums/watching.server.ts";
import { createUser } from "../../factories/users.ts";
import { createCategory } from "../../factories/forums.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile({ tickMs: 60_000 });

async function person() {
  const u = await createUser(services.db, { passwordHash: "x", createdAt: new Date(Date.now() - 90 * 86_400_000) });
  return { id: u.id, role: u.role };
}
const bell = (userId: string) => services.db.notification.findMany({ where: { userId, kind: "forum.reply" }, select: { data: true, link: true } });

describe("watching threads and categories", () => {
  it("the author and earlier repliers hear about new replies; the replier does not hear about their own", async () => {
    const category = await createCategory(services.db);
    const author = await person();
    const first = await person();
    const second = await person();
    const started = await startThread(services, author, { categoryId: category.id, title: "Đà Nẵng cuối tuần này?", body: "Ai đi không?" });
    if (!started.ok) throw new Error("start failed");
    await replyToThread(services, first, { threadId: started.threadId, body: "Mình đi!" });
    await replyToThread(services, second, { threadId: started.threadId, body: "Cho mình theo với" });
    await services.dispatcher.drainNow();
    await services.dispatcher.drainNow();

    expect(await bell(author.id)).toHaveLength(2);
    expect(await bell(first.id)).toHaveLength(1);
    expect(await bell(second.id)).toHaveLength(0);
    expect((await bell(first.id))[0]!.link).toBe(`/community/t/${started.threadId}#post-3`);
  });

  it("muting a thread silences it even for a category watcher; watching a category brings its new replies", async () => {
    const category = await createCategory(services.db);
    const author = await person();
    const fan = await person();
    const quiet = await person();
    await setCategoryWatch(services, fan, { categoryId: category.id, level: "watching" });
    await setCategoryWatch(services, quiet, { categoryId: category.id, level: "watching" });
    const started = await startThread(services, author, { categoryId: category.id, title: "Category watchers test", body: "Opening" });
    if (!started.ok) throw new Error("start failed");
    await setThreadWatch(services, quiet, { threadId: started.threadId, level: "muted" });
    await setThreadWatch(services, author, { threadId: started.threadId, level: "muted" });
    await replyToThread(services, await person(), { threadId: started.threadId, body: "A reply for watchers" });
    await services.dispatcher.drainNow();
    await services.dispatcher.drainNow();
    expect(await bell(fan.id)).toHaveLength(1);
    expect(await bell(quiet.id)).toHaveLength(0);
    expect(await bell(author.id)).toHaveLength(0);
  });

  it("fan-out is exactly once even if the reply event is delivered again", async () => {
    const category = await createCategory(services.db);
    const author = await person();
    const started = await startThread(services, author, { categoryId: category.id, title: "Redelivery should not double", body: "Opening" });
    if (!started.ok) throw new Error("start failed");
    await replyToThread(services, await person(), { threadId: started.threadId, body: "One reply" });
    await services.dispatcher.drainNow();
    // Pretend the dispatcher crashed before marking the event done.
    await services.db.outboxEvent.updateMany({ where: { type: "forum.reply_posted" }, data: { status: "pending", lockedUntil: null } });
    await services.dispatcher.drainNow();
    await services.dispatcher.drainNow();
    expect(await bell(author.id)).toHaveLength(1);
  });
});
