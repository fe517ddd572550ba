/** `npm run bench`: every benchmark, one after the other. Figures only, no pass/fail. */
import { runHttpBench } from "./http.ts";
import { runTimelineBench } from "./timeline.ts";

const only = process.argv[2];
if (!only || only === "http") await runHttpBench();
if (!only || only === "timeline") await runTimelineBench();
process.exit(0);
