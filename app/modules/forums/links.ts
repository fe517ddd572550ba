/** Where a post lives: its page of the thread, and a link that opens it there. */
/** Posts per page: a 500-reply thread is read in pages, never rendered at once. */
export const POSTS_PER_PAGE = 50;

/** The page (first position) that holds a given post. */
export function pageStartFor(position: number) {
  return Math.floor((Math.max(position, 1) - 1) / POSTS_PER_PAGE) * POSTS_PER_PAGE + 1;
}

/** A link that opens the page holding the post and scrolls to it. */
export function postLink(threadId: string, position: number) {
  const from = pageStartFor(position);
  return `/community/t/${threadId}${from > 1 ? `?from=${from}` : ""}#post-${position}`;
}
