import { describe, expect, it } from "vitest";
import { listThreads, replyToThread, startThread } from "../../../app/modules/forums/forums.server.ts";
import { lastReadPosition, markThreadRead, unreadCounts } from "../../../app/modules/forums/reading.server.ts";
import { createUser } from "../../factories/users.ts";
import { createCategory } from "../../factories/forums.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile({ tickMs: 60_000 });

describe("unread tracking", () => {
  it("marks threads with posts newer than the reader's last visit, and never moves backwards", async () => {
    const category = await createCategory(services.db);
    const old = { createdAt: new Date(Date.now() - 90 * 86_400_000), passwordHash: "x" };
    const author = await createUser(services.db, old);
    const reader = await createUser(services.db, old);
    const started = await startThread(services, author, { categoryId: category.id, title: "Unread tracking story", body: "First post" });
    if (!started.ok) throw new Error("start failed");
    const threads = async () => (await listThreads(services.db, null, { categoryId: category.id })).items;

    expect(await unreadCounts(services.db, reader.id, await threads())).toEqual({ [started.threadId]: null });
    await markThreadRead(services.db, reader.id, started.threadId, 1);
    expect(await unreadCounts(services.db, reader.id, await threads())).toEqual({ [started.threadId]: 0 });

    await replyToThread(services, author, { threadId: started.threadId, body: "Second post" });
    await replyToThread(services, author, { threadId: started.threadId, body: "Third post" });
    expect(await unreadCounts(services.db, reader.id, await threads())).toEqual({ [started.threadId]: 2 });

    await markThreadRead(services.db, reader.id, started.threadId, 3);
    await markThreadRead(services.db, reader.id, started.threadId, 1);
    expect(await lastReadPosition(services.db, reader.id, started.threadId)).toBe(3);
    expect(await unreadCounts(services.db, reader.id, await threads())).toEqual({ [started.threadId]: 0 });
  });
});
