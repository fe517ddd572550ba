/** Forum categories, threads and posts for tests and the demo seed. */
import type { Db } from "../../app/modules/services.server.ts";
import { renderForumPost } from "../../app/modules/forums/mentions.server.ts";
import { newSortableId } from "../../app/modules/ids.server.ts";
import { recordTouchpoint } from "../../app/modules/timeline/touchpoints.server.ts";

let position = 0;

export async function createCategory(
  db: Db,
  input: Partial<{
    slug: string; nameVi: string; nameEn: string; descriptionVi: string; descriptionEn: string; color: string;
    postingRole: "member" | "staff"; readRole: "everyone" | "staff";
  }> = {},
) {
  position += 1;
  const slug = input.slug ?? `cat-${newSortableId().slice(-8)}`;
  return db.forumCategory.create({
    data: {
      id: newSortableId(),
      slug,
      nameVi: input.nameVi ?? `Chuyên mục ${slug}`,
      nameEn: input.nameEn ?? `Category ${slug}`,
      descriptionVi: input.descriptionVi ?? "",
      descriptionEn: input.descriptionEn ?? "",
      color: input.color ?? "#0f5c4d",
      postingRole: input.postingRole ?? "member",
      readRole: input.readRole ?? "everyone",
      position,
    },
  });
}

/** A thread with its opening post and replies, as if written at the given times. */
export async function createThread(
  db: Db,
  input: {
    id?: string;
    categoryId: string;
    authorId: string;
    title: string;
    body: string;
    at: Date;
    replies?: { authorId: string; body: string; at: Date }[];
  },
) {
  const threadId = input.id ?? newSortableId(input.at);
  const replies = input.replies ?? [];
  const last = replies.at(-1)?.at ?? input.at;
  await db.forumThread.create({
    data: { id: threadId, categoryId: input.categoryId, authorId: input.authorId, title: input.title, createdAt: input.at, lastPostAt: last, replyCount: replies.length },
  });
  const posts = [{ authorId: input.authorId, body: input.body, at: input.at }, ...replies];
  for (const [i, post] of posts.entries()) {
    const rendered = await renderForumPost(db, post.body);
    await db.forumPost.create({
      data: {
        id: newSortableId(post.at), threadId, authorId: post.authorId, position: i + 1, bodyMarkdown: post.body,
        bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, createdAt: post.at,
      },
    });
    await recordTouchpoint(db as never, {
      memberId: post.authorId,
      kind: i === 0 ? "forum.thread_started" : "forum.replied",
      actorId: post.authorId,
      subject: { type: "forum_thread", id: threadId },
      data: { title: input.title },
      at: post.at,
    });
  }
  const postIds = (await db.forumPost.findMany({ where: { threadId }, orderBy: { position: "asc" }, select: { id: true } })).map((p) => p.id);
  return { threadId, postIds };
}
