/**
 * `npm run bench`: every benchmark, one after the other; `npm run bench -- <name>` runs one.
 * Figures only, no pass/fail, except chat-fault and chaos: correctness checks that exit non-zero on a FAIL.
 */
import { runHttpBench } from "./http.ts";
import { runTimelineBench } from "./timeline.ts";
import { runChatBench } from "./chat.ts";
import { runChatFaultTest } from "./chat-fault.ts";
import { runSearchBench } from "./search.ts";
import { runChaos } from "./chaos.ts";

const only = process.argv[2];
let failed = false;
if (!only || only === "http") await runHttpBench();
if (!only || only === "timeline") await runTimelineBench();
if (!only || only === "chat") await runChatBench();
if (!only || only === "search") await runSearchBench();
if (!only || only === "chat-fault") failed = !(await runChatFaultTest()) || failed;
if (!only || only === "chaos") failed = !(await runChaos()) || failed;
process.exit(failed ? 1 : 0);
