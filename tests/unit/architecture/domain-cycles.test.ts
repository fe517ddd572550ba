/**
 * No two domains in app/modules import each other (issue 17): a piece both need lives with the one
 * that owns it, or beside the domains (app/modules/*.ts). Type imports count: they tie the two
 * domains' shapes together just the same.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const modules = new URL("../../../app/modules", import.meta.url).pathname;

/** domain -> the other domains it imports, with the importing files. */
function domainImports() {
  const edges = new Map<string, Map<string, string[]>>();
  const files = readdirSync(modules, { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f) && f.includes(path.sep));
  for (const file of files) {
    const from = file.split(path.sep)[0]!;
    const source = readFileSync(path.join(modules, file), "utf8");
    for (const [, spec] of source.matchAll(/(?:import|export)\s[^;]*?from\s+"([^"]+)"/g)) {
      let target: string;
      if (spec!.startsWith("~/modules/")) target = spec!.split("/")[2]!;
      else if (spec!.startsWith(".")) {
        const parts = path.relative(modules, path.resolve(modules, path.dirname(file), spec!)).split(path.sep);
        if (parts[0] === ".." || parts.length < 2) continue; // outside app/modules, or a shared file beside the domains
        target = parts[0]!;
      } else continue;
      if (target === from) continue;
      const targets = edges.get(from) ?? new Map<string, string[]>();
      targets.set(target, [...(targets.get(target) ?? []), file]);
      edges.set(from, targets);
    }
  }
  return edges;
}

describe("the domains' dependencies", () => {
  it("go one way: no two domains import each other", () => {
    const edges = domainImports();
    expect(edges.size).toBeGreaterThan(5);
    const twoWay: string[] = [];
    for (const [a, targets] of edges) {
      for (const [b, files] of targets) {
        const back = edges.get(b)?.get(a);
        if (back && a < b) twoWay.push(`${a} <-> ${b}: ${[...new Set([...files, ...back])].join(", ")}`);
      }
    }
    expect(twoWay).toEqual([]);
  });
});
