/**
 * Chat fault test: members and their managers stream messages while the app
 * server is SIGKILLed mid-stream and restarted on the same port and database.
 * Clients reconnect (socket.io-client reconnection), re-open their
 * conversations, resend every unacked message with the same clientId, and
 * catch up with `chat:history` after the last seq they hold without a gap.
 * Then, with PASS/FAIL lines: every acked message is stored exactly once with
 * the seq its ack gave; nothing is stored twice; each conversation's seqs run
 * 1..lastSeq without a gap; every message written was acked in the end; each
 * client (member and staff side) holds exactly the database's list. A
 * correctness check, not a figure: a FAIL makes `npm run bench` exit non-zero.
 *
 * The server is tests/bench/chat.ts run as a child (`serve app`): on a scratch
 * database of BENCH_DATABASE_URL (PostgreSQL), or else on embedded PGlite in a
 * data folder on disk, which the restarted process opens again (PGlite comes
 * back from a SIGKILL: the kernel still has what it wrote; a power cut, which
 * this does not test, is another matter).
 *
 *   BENCH_FAULT_MEMBERS      members streaming (default 12)
 *   BENCH_FAULT_PER_STAFF    members per staff account manager (default 4)
 *   BENCH_FAULT_INTERVAL_MS  each member writes this often; each manager replies to one of
 *                            their members at twice this interval (default 3000)
 *   BENCH_FAULT_KILLS        how many times the server is killed (default 2)
 *   BENCH_FAULT_STREAM       seconds of streaming before each kill and after the last (default 5)
 *   BENCH_DATABASE_URL       a PostgreSQL server: the test runs on a scratch database there
 */
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { spawnChatServer, type ChatServer, type Seeded } from "./chat.ts";
import { CHAT_ROWS_SQL, ChatClient, MAX_ATTEMPTS, sleep, tallyStored, until, type Row } from "./chat-client.ts";
import { check, freePort, guardChildren, positiveNumber, scratchPostgres, stopChild, waitFor } from "./support.ts";

const MEMBERS = Math.round(positiveNumber("BENCH_FAULT_MEMBERS", 12));
const PER_STAFF = Math.round(positiveNumber("BENCH_FAULT_PER_STAFF", 4));
const INTERVAL_MS = positiveNumber("BENCH_FAULT_INTERVAL_MS", 3_000);
const KILLS = Math.round(positiveNumber("BENCH_FAULT_KILLS", 2));
const STREAM_SECONDS = positiveNumber("BENCH_FAULT_STREAM", 5);


/** Runs the kill-and-restart stream and prints PASS/FAIL lines; true when everything passed. */
export async function runChatFaultTest(): Promise<boolean> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rapport-bench-fault-"));
  const children: ChildProcess[] = [];
  const postgres = await scratchPostgres(process.env.BENCH_DATABASE_URL, "_fault");
  const unguard = guardChildren(children, async () => {
    await postgres?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const database = { dataDir: path.join(dataDir, "data"), url: postgres?.url };
  const port = await freePort();
  const clients: ChatClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  const results: boolean[] = [];
  let app: ChatServer | undefined;

  console.log(
    `\nChat fault test: ${MEMBERS} members and ${Math.ceil(MEMBERS / PER_STAFF)} managers writing (members every ${INTERVAL_MS} ms, managers every ` +
      `${INTERVAL_MS * 2} ms); the server is SIGKILLed ${KILLS} time(s), ${STREAM_SECONDS} s into each stretch, and restarted on the same port ` +
      `and database; on ${postgres ? "a scratch PostgreSQL database (BENCH_DATABASE_URL)" : "embedded PGlite in a data folder on disk"}`,
  );
  if (!postgres) console.log("  BENCH_DATABASE_URL is not set: running on PGlite (set it to a PostgreSQL server URL to run there instead)");

  const start = async () => {
    const server = spawnChatServer("app", port, database, children);
    await waitFor(`${server.origin}/healthz`, server.child, server.output);
    return server;
  };

  try {
    app = await start();
    const seeded = await app.request<Seeded>({ type: "seed", members: MEMBERS, perStaff: PER_STAFF });
    const origin = app.origin;
    const members = seeded.members.map((m, i) => new ChatClient(`m${i + 1}`, m.id, m.session, [m.conversationId], true, origin));
    const staff = seeded.staff.map((s, i) => new ChatClient(`s${i + 1}`, s.id, s.session, s.conversationIds, false, origin));
    clients.push(...members, ...staff);
    if (!(await until(() => clients.every((c) => c.resumed), 30_000))) throw new Error("the clients did not all connect and open their conversations");

    // Everyone writes on a steady beat, connected or not: written while the server is down, sent on reconnect.
    members.forEach((client, i) => {
      const beat = () => client.write(client.conversationIds[0]!);
      timers.push(setTimeout(() => (beat(), timers.push(setInterval(beat, INTERVAL_MS))), (i / members.length) * INTERVAL_MS));
    });
    staff.forEach((client, i) => {
      const beat = () => client.write(client.conversationIds[Math.floor(Math.random() * client.conversationIds.length)]!);
      timers.push(setTimeout(() => (beat(), timers.push(setInterval(beat, INTERVAL_MS * 2))), (i / staff.length) * INTERVAL_MS * 2));
    });

    for (let kill = 1; kill <= KILLS; kill++) {
      await sleep(STREAM_SECONDS * 1000);
      // Kill while a send is on its way (up to 3 s more): that is where a lost or doubled message would hide.
      const inFlight = () => clients.reduce((n, c) => n + [...c.pending.values()].filter((p) => p.attempts > 0).length, 0);
      await until(() => inFlight() > 0, 3_000);
      const unacked = inFlight();
      const killed = performance.now();
      const exited = new Promise((resolve) => app!.child.once("exit", resolve));
      app.child.kill("SIGKILL");
      await exited;
      try {
        app = await start();
      } catch (error) {
        const where = postgres ? "PostgreSQL" : "PGlite";
        console.log(`  FAIL  the server did not come back on ${where} after SIGKILL ${kill}: ${(error as Error).message}`);
        if (!postgres) console.log("  PGlite did not survive a SIGKILL here; run this test on PostgreSQL (set BENCH_DATABASE_URL)");
        return false;
      }
      const backSeconds = (performance.now() - killed) / 1000;
      const resumed = await until(() => clients.every((c) => c.resumed), 60_000);
      console.log(
        `  kill ${kill}: ${unacked} sends were in flight (sent, no ack yet) at the SIGKILL; the server answered again ${backSeconds.toFixed(1)} s later; ` +
          `${resumed ? `every client reconnected and caught up ${((performance.now() - killed) / 1000).toFixed(1)} s after the kill` : "NOT every client resumed within 60 s"}`,
      );
    }
    await sleep(STREAM_SECONDS * 1000);
    timers.forEach((t) => clearTimeout(t));
    const drained = await until(() => clients.every((c) => c.pending.size === 0), 60_000);
    // Nothing is written any more: one last catch-up gives every client the final list.
    await Promise.all(clients.map((c) => c.catchUp()));

    const rows = await app.request<Row[]>({ type: "query", sql: CHAT_ROWS_SQL });
    const lastSeqs = await app.request<{ id: string; lastSeq: number }[]>({ type: "query", sql: `SELECT "id", "lastSeq" FROM "Conversation"` });

    const { acked, missing, twice, wrongSeq, distinct, duplicateRows } = tallyStored(clients, rows);
    check(results, missing + twice + wrongSeq === 0, "every acked message stored exactly once, with its acked seq", `${acked} acked; ${missing} missing, ${twice} stored more than once, ${wrongSeq} with another seq`);
    check(results, duplicateRows === 0, "no duplicates in the database", `${rows.length} rows, ${distinct} distinct (sender, clientId), ${duplicateRows} duplicated`);

    const dbLists = new Map<string, Map<number, string>>();
    for (const row of rows) {
      if (!dbLists.has(row.conversationId)) dbLists.set(row.conversationId, new Map());
      dbLists.get(row.conversationId)!.set(row.seq, row.clientId);
    }
    const gappy = lastSeqs.filter(({ id, lastSeq }) => {
      const list = dbLists.get(id) ?? new Map<number, string>();
      return list.size !== lastSeq || Array.from({ length: lastSeq }, (_, k) => k + 1).some((seq) => !list.has(seq));
    });
    check(results, gappy.length === 0, "gap-free seqs in the database", `${lastSeqs.length} conversations, ${gappy.length} whose seqs are not exactly 1..lastSeq`);

    const unacked = clients.reduce((n, c) => n + c.pending.size, 0);
    const givenUp = clients.reduce((n, c) => n + c.counts.givenUp, 0);
    const strays = rows.length - acked;
    check(
      results,
      drained && unacked === 0 && givenUp === 0 && strays === 0,
      "every message written was acked in the end",
      `${acked + unacked + givenUp} written, ${unacked} still without an ack, ${givenUp} given up after ${MAX_ATTEMPTS} refusals, ${strays} stored rows no client holds an ack for`,
    );

    const differing = clients.filter((client) =>
      client.conversationIds.some((id) => {
        const mine = client.held.get(id)!;
        const theirs = dbLists.get(id) ?? new Map<number, string>();
        return mine.size !== theirs.size || [...theirs].some(([seq, clientId]) => mine.get(seq) !== clientId);
      }),
    );
    const conflicts = clients.flatMap((c) => c.conflicts);
    check(
      results,
      differing.length === 0 && conflicts.length === 0,
      "each client holds the database's gap-free list",
      `${members.length} member and ${staff.length} staff clients; ${differing.length} differ from the database${differing.length ? ` (${differing.map((c) => c.label).join(", ")})` : ""}; ${conflicts.length} seqs seen with two clientIds`,
    );

    const sum = (key: keyof ChatClient["counts"]) => clients.reduce((n, c) => n + c.counts[key], 0);
    console.log(
      `  ${rows.length} messages in ${dbLists.size} conversations; ${sum("reconnects")} reconnects, ${sum("resends")} resends, ` +
        `${sum("duplicateAcks")} answered as already stored (committed before the kill, ack lost), ${sum("rateLimited")} rate-limited and retried`,
    );
    const missingBelowMax = sum("missingBelowMax");
    console.log(
      `  seqs missing below the highest one a client held when it caught up: ${missingBelowMax}` +
        (missingBelowMax ? " (a catch-up `after` the highest seq held, rather than after the last one without a gap, would have skipped them)" : ""),
    );
    const errors = clients.flatMap((c) => c.errors);
    if (errors.length) console.log(`  ${errors.length} refused sends or failed resumes, retried (first: ${errors[0]})`);
    if (conflicts.length) console.log(`  first conflict: ${conflicts[0]}`);
    return results.every(Boolean);
  } catch (error) {
    console.log(`  FAIL  the fault test could not run to the end: ${(error as Error).message}`);
    return false;
  } finally {
    timers.forEach((t) => clearTimeout(t));
    clients.forEach((c) => c.close());
    await Promise.all(children.map((c) => stopChild(c)));
    await postgres?.drop();
    await rm(dataDir, { recursive: true, force: true });
    unguard();
  }
}
