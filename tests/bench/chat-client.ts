/**
 * A careful chat client for the fault benches (chat-fault, chaos): a socket.io client with
 * reconnection that, after every (re)connect, re-opens its conversations, resends every unacked
 * message with the same clientId, and catches up with `chat:history` after the last seq it holds
 * without a gap; a refused send (an `unavailable` ack during an outage, …) is resent with the
 * same clientId. `tallyStored` compares what clients were acked with the database's rows.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { ChatMessageView } from "../../app/realtime/events.ts";
import { ask, openChatSocket, type ClientSocket } from "./chat.ts";

export const ACK_TIMEOUT_MS = 8_000;
/** A send refused this many times (not counting rate limits) is given up: a FAIL. */
export const MAX_ATTEMPTS = 30;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(condition: () => boolean, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * One browser tab's chat state, as a careful client keeps it: what it holds
 * per conversation (seq → clientId), what it wrote and has no ack for yet,
 * and what was acked with which seq.
 */
export class ChatClient {
  readonly held = new Map<string, Map<number, string>>();
  readonly pending = new Map<string, { conversationId: string; body: string; attempts: number }>();
  /** clientId → where it was stored, and when the ack came (performance.now()). */
  readonly acked = new Map<string, { conversationId: string; seq: number; at: number }>();
  readonly conflicts: string[] = [];
  readonly errors: string[] = [];
  readonly counts = { resends: 0, duplicateAcks: 0, rateLimited: 0, reconnects: 0, missingBelowMax: 0, givenUp: 0 };
  /** Connected, conversations re-opened and caught up since the last connect. */
  resumed = false;
  readonly socket: ClientSocket;
  private generation = 0;
  private written = 0;
  private closed = false;

  constructor(
    readonly label: string,
    readonly userId: string,
    session: string,
    readonly conversationIds: string[],
    readonly isMember: boolean,
    origin: string,
  ) {
    for (const id of conversationIds) this.held.set(id, new Map());
    this.socket = openChatSocket(origin, session, {
      reconnection: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
      timeout: 5_000,
    });
    this.socket.on("connect", () => void this.resume());
    this.socket.on("disconnect", () => (this.resumed = false));
    this.socket.on("chat:message", (message) => this.hold(message));
  }

  private hold(message: Pick<ChatMessageView, "conversationId" | "seq" | "clientId">) {
    const held = this.held.get(message.conversationId);
    if (!held) return;
    const known = held.get(message.seq);
    if (known !== undefined && known !== message.clientId) {
      this.conflicts.push(`${this.label}: seq ${message.seq} of ${message.conversationId} is ${known} and ${message.clientId}`);
    }
    held.set(message.seq, message.clientId);
  }

  /** The highest seq below which nothing is missing: where a catch-up must start. */
  watermark(conversationId: string) {
    const held = this.held.get(conversationId)!;
    let seq = 0;
    while (held.has(seq + 1)) seq += 1;
    return seq;
  }

  /**
   * After every (re)connect: re-open (rejoins the rooms), resend the unacked, catch up. A member
   * constructed without their conversation id learns it from the first open. Refused while
   * still connected (the database is away), it tries again a second later.
   */
  private async resume(again = false) {
    const generation = again ? this.generation : ++this.generation;
    if (generation > 1 && !again) this.counts.reconnects += 1;
    try {
      if (this.isMember && this.conversationIds.length === 0) {
        const opened = await ask(this.socket, "chat:open", {}, ACK_TIMEOUT_MS);
        if (!opened.ok) throw new Error(`chat:open: ${opened.error} ${opened.message}`);
        this.conversationIds.push(opened.data.conversation.id);
        this.held.set(opened.data.conversation.id, new Map());
      }
      for (const conversationId of this.conversationIds) {
        const opened = await ask(this.socket, "chat:open", this.isMember ? {} : { conversationId }, ACK_TIMEOUT_MS);
        if (!opened.ok) throw new Error(`chat:open: ${opened.error} ${opened.message}`);
        if (opened.data.conversation.id !== conversationId) throw new Error(`chat:open gave ${opened.data.conversation.id}, not ${conversationId}`);
      }
      // In the order written; a message stored before the kill comes back as a duplicate, with its seq.
      for (const clientId of this.pending.keys()) this.emitSend(clientId);
      await this.catchUp();
      if (generation === this.generation) this.resumed = true;
    } catch (error) {
      // The server went away (the next connect resumes) or refused while its database was away.
      this.errors.push(`${this.label} resume: ${(error as Error).message}`);
      if (this.socket.connected && generation === this.generation && !this.closed) {
        setTimeout(() => generation === this.generation && !this.closed && void this.resume(true), 1_000);
      }
    }
  }

  /** Pages through `chat:history` after the watermark until nothing more. */
  async catchUp() {
    for (const conversationId of this.conversationIds) {
      const held = this.held.get(conversationId)!;
      const max = Math.max(0, ...held.keys());
      // What a catch-up from the highest seq held (rather than the watermark) would skip.
      this.counts.missingBelowMax += max - held.size;
      let after = this.watermark(conversationId);
      for (;;) {
        const page = await ask(this.socket, "chat:history", { conversationId, after, limit: 200 }, ACK_TIMEOUT_MS);
        if (!page.ok) throw new Error(`chat:history: ${page.error} ${page.message}`);
        page.data.messages.forEach((m) => this.hold(m));
        if (!page.data.more || !page.data.messages.length) break;
        after = page.data.messages.at(-1)!.seq;
      }
    }
  }

  write(conversationId: string) {
    this.written += 1;
    const clientId = `${this.label}-${this.written}-${randomBytes(3).toString("hex")}`;
    this.pending.set(clientId, { conversationId, body: `Message ${this.written} from ${this.label}`, attempts: 0 });
    this.emitSend(clientId);
  }

  private emitSend(clientId: string) {
    const entry = this.pending.get(clientId);
    // Disconnected: resume() resends on the next connect.
    if (!entry || !this.socket.connected) return;
    entry.attempts += 1;
    if (entry.attempts > 1) this.counts.resends += 1;
    const { conversationId, body } = entry;
    const noAnswer = () => {
      // If the connection is still up, try again; if not, resume() will.
      if (this.pending.has(clientId) && this.socket.connected) setTimeout(() => this.emitSend(clientId), 200);
    };
    ask(this.socket, "chat:send", { conversationId, clientId, body }, ACK_TIMEOUT_MS).then((result) => {
      if (!this.pending.has(clientId)) return; // another attempt was acked
      if (result.ok) {
        this.pending.delete(clientId);
        const message = result.data.message;
        this.acked.set(clientId, { conversationId, seq: message.seq, at: performance.now() });
        if (result.data.duplicate) this.counts.duplicateAcks += 1;
        this.hold(message);
        return;
      }
      if (result.error === "rateLimited") {
        this.counts.rateLimited += 1;
        const seconds = (result as { retryAfterSeconds?: number }).retryAfterSeconds ?? 1;
        entry.attempts -= 1;
        setTimeout(() => this.emitSend(clientId), seconds * 1000 + Math.random() * 500);
        return;
      }
      this.errors.push(`${this.label} send: ${result.error} ${result.message}`);
      if (entry.attempts >= MAX_ATTEMPTS) {
        this.counts.givenUp += 1;
        this.pending.delete(clientId);
        return;
      }
      setTimeout(() => this.emitSend(clientId), 500);
    }, noAnswer);
  }

  close() {
    this.closed = true;
    this.socket.close();
  }
}

export interface Row {
  conversationId: string;
  seq: number;
  senderId: string;
  clientId: string;
}

/**
 * Every message acked before `ackedBefore` (performance.now(); read the rows after it) against
 * the stored rows: missing, stored more than once, stored with another seq than its ack gave;
 * and rows that repeat a (sender, clientId).
 */
export function tallyStored(clients: ChatClient[], rows: Row[], ackedBefore = Infinity) {
  const bySender = new Map<string, Row[]>();
  for (const row of rows) bySender.set(`${row.senderId}/${row.clientId}`, [...(bySender.get(`${row.senderId}/${row.clientId}`) ?? []), row]);
  const tally = { acked: 0, missing: 0, twice: 0, wrongSeq: 0, distinct: bySender.size, duplicateRows: rows.length - bySender.size };
  for (const client of clients) {
    for (const [clientId, ack] of client.acked) {
      if (ack.at >= ackedBefore) continue;
      tally.acked += 1;
      const stored = bySender.get(`${client.userId}/${clientId}`) ?? [];
      if (stored.length === 0) tally.missing += 1;
      else if (stored.length > 1) tally.twice += 1;
      else if (stored[0]!.seq !== ack.seq || stored[0]!.conversationId !== ack.conversationId) tally.wrongSeq += 1;
    }
  }
  return tally;
}

export const CHAT_ROWS_SQL = `SELECT "conversationId", "seq", "senderId", "clientId" FROM "ChatMessage" ORDER BY "conversationId", "seq"`;
