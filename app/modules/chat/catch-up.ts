/**
 * Where a chat client resumes after a reconnect. Live messages can arrive
 * out of order (two senders commit seq 5 then 6, and 6 is emitted first) or
 * while a catch-up is running, so the highest seq seen is not a safe place
 * to resume from. This tracks the seq up to which the client holds every
 * message it may see: seqs the server vouched for (a page "after N" holds
 * everything up to its last message), extended by contiguous live ones.
 */
export function catchUpTracker() {
  const held = new Set<number>();
  let synced = 0;
  return {
    /** Record messages held; `through`: the server says nothing up to it is missing. */
    add(seqs: Iterable<number>, through = 0) {
      for (const seq of seqs) held.add(seq);
      synced = Math.max(synced, through);
      while (held.has(synced + 1)) synced += 1;
    },
    /** Ask for everything after this. */
    get resumeAfter() {
      return synced;
    },
  };
}
