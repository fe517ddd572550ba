import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import type { action, loader } from "~/routes/community.t.$threadId";
import { useSocket, useSocketEvent } from "~/realtime/client";
import type { ForumPostEvent, ForumPostView, ForumThreadMovedEvent } from "~/realtime/events";

/** Loaded and live posts alike: the loader's posts are this shape (a live one is emitted in it). */
export type Post = ForumPostView<Date | string>;
export type ThreadPageView = ReturnType<typeof useThreadPage>;

/** The thread page's state: the loaded thread kept current by the socket's posts, changes and moves. */
export function useThreadPage() {
  const { thread: loaded, viewer, ...rest } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [, setSearchParams] = useSearchParams();
  const [live, setLive] = useState<Post[]>([]);
  // Posts changed since the page loaded (edited, hidden, restored, deleted), each as the server
  // now shows it: a live change renders as a reload would.
  const [changed, setChanged] = useState<Record<string, Post>>({});
  const [moved, setMoved] = useState<ForumThreadMovedEvent | null>(null);
  const [gone, setGone] = useState<"unreadable" | "deleted" | null>(null);
  const socket = useSocket(!!viewer);
  const thread = moved ? { ...loaded, title: moved.title, category: moved.category } : loaded;

  useEffect(() => setLive([]), [thread.posts.length]);
  // A reload (after this reader's own action, say) already shows every change.
  useEffect(() => {
    setChanged({});
    setMoved(null);
    setGone(null);
  }, [loaded]);
  useEffect(() => {
    if (!socket) return;
    const watch = () => socket.emit("thread:watch", { threadId: thread.id }, () => {});
    watch();
    // Rejoin the room after a reconnect; the page's own posts come from the loader.
    socket.on("connect", watch);
    return () => {
      socket.off("connect", watch);
      socket.emit("thread:unwatch", { threadId: thread.id });
    };
  }, [socket, thread.id]);
  const onPost = useCallback(
    (event: ForumPostEvent) => {
      if (event.threadId !== thread.id) return;
      setLive((current) =>
        current.some((p) => p.id === event.post.id) || thread.posts.some((p) => p.id === event.post.id) ? current : [...current, event.post],
      );
    },
    [thread.id, thread.posts],
  );
  useSocketEvent(socket, "forum:post", onPost);
  const onChange = useCallback(
    (event: ForumPostEvent) => {
      if (event.threadId === loaded.id) setChanged((posts) => ({ ...posts, [event.post.id]: event.post }));
    },
    [loaded.id],
  );
  useSocketEvent(socket, "forum:post_edited", onChange);
  useSocketEvent(socket, "forum:post_hidden", onChange);
  useSocketEvent(socket, "forum:post_restored", onChange);
  useSocketEvent(socket, "forum:post_deleted", onChange);
  const onMoved = useCallback((event: ForumThreadMovedEvent) => event.threadId === loaded.id && setMoved(event), [loaded.id]);
  useSocketEvent(socket, "forum:thread_moved", onMoved);
  const onGone = useCallback((event: { threadId: string; reason: "unreadable" | "deleted" }) => event.threadId === loaded.id && setGone(event.reason), [loaded.id]);
  useSocketEvent(socket, "forum:thread_gone", onGone);

  const quotePost = useCallback(
    (postId: string) =>
      setSearchParams(
        (params) => {
          params.set("quote", postId);
          return params;
        },
        { preventScrollReset: true },
      ),
    [setSearchParams],
  );

  return {
    ...rest,
    viewer,
    thread,
    actionData,
    busy,
    gone,
    // Each post as it now stands; new posts appear live only on the last page (earlier pages link onward).
    posts: thread.posts.map((post) => changed[post.id] ?? post),
    livePosts: thread.page.next ? [] : live.filter((post) => !thread.posts.some((p) => p.id === post.id)).map((post) => changed[post.id] ?? post),
    solvedPost: thread.posts.find((p) => p.id === thread.solvedPostId),
    canReply: rest.may.reply && !gone,
    quotePost,
  };
}
