/**
 * `npm run bench`: every benchmark, one after the other; `npm run bench -- <name>` runs one.
 * Figures only, no pass/fail, except chat-fault and chaos: correctness checks that exit non-zero on a FAIL.
 * Each bench is imported only when it runs: one's imports (chaos reaches the test support, which
 * loads vitest) must not stop another from starting.
 */
const only = process.argv[2];
const runs = (name: string) => !only || only === name;
let failed = false;
if (runs("http")) await (await import("./http.ts")).runHttpBench();
if (runs("timeline")) await (await import("./timeline.ts")).runTimelineBench();
if (runs("chat")) await (await import("./chat.ts")).runChatBench();
if (runs("search")) await (await import("./search.ts")).runSearchBench();
if (runs("segments")) await (await import("./segments.ts")).runSegmentsBench();
if (runs("announcements")) await (await import("./announcements.ts")).runAnnouncementsBench();
if (runs("chat-fault")) failed = !(await (await import("./chat-fault.ts")).runChatFaultTest()) || failed;
if (runs("chaos")) failed = !(await (await import("./chaos.ts")).runChaos()) || failed;
process.exit(failed ? 1 : 0);
export {};
