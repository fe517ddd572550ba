/** Every route in app/routes as an address, read from the files (Remix's flat-routes names). */
import { readdirSync } from "node:fs";
import path from "node:path";

const ROUTES_DIR = path.resolve(import.meta.dirname, "../../app/routes");

/** Each route file's address, every dynamic segment ($param, $ splat) filled with `fill`. */
export function routeUrls(fill: string) {
  return readdirSync(ROUTES_DIR)
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.startsWith("."))
    .map((file) => {
      const name = file.replace(/\.tsx?$/, "");
      // Dots separate segments, except inside [escapes]: staff.members[.csv] is /staff/members.csv.
      const segments = name.match(/(?:\[[^\]]*\]|[^.])+/g) ?? [];
      let dynamic = false;
      const parts = segments.flatMap((segment) => {
        if (segment.startsWith("_")) return []; // _index, or a pathless layout
        const literal = segment.replace(/_$/, "").replace(/\[([^\]]*)\]/g, "$1");
        if (!literal.startsWith("$")) return [literal];
        dynamic = true;
        return [fill];
      });
      return { file, url: `/${parts.join("/")}`, dynamic };
    });
}
