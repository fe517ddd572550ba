/**
 * The lint rule that keeps the layers' direction (eslint.config.js): a file
 * in app/modules that imports the edge fails the lint. Checked here with the
 * project's own ESLint configuration on fixtures, so a change to the config
 * that stops the rule from firing turns this red.
 */
import { readdirSync } from "node:fs";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = new URL("../../..", import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function importErrors(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports");
}

describe("the layers' direction, as the lint checks it", () => {
  it.each([
    ["a request helper", 'import { requireUser } from "~/utils/auth.server";\nexport const x = requireUser;\n'],
    ["a component", 'import { Avatar } from "~/components/avatar";\nexport const x = Avatar;\n'],
    ["a translator", 'import { translator } from "~/i18n/translate";\nexport const x = translator;\n'],
    ["a route", 'import { loader } from "~/routes/_index";\nexport const x = loader;\n'],
    ["the edge by a relative path", 'import { postLink } from "../../utils/forum";\nexport const x = postLink;\n'],
  ])("a module importing %s fails the lint", async (_what, code) => {
    const errors = await importErrors("app/modules/example/example.server.ts", code);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/must not import the edge/);
  });

  it("a module may name the message keys it returns (a type import), and the edge may import anything", async () => {
    expect(await importErrors("app/modules/example/example.server.ts", 'import type { MessageKey } from "~/i18n/en";\nexport type K = MessageKey;\n')).toEqual([]);
    expect(await importErrors("app/routes/example.tsx", 'import { translator } from "~/i18n/translate";\nexport const x = translator;\n')).toEqual([]);
  });

  // The mail and bell renderers were the last exemptions (issue 17); a later override that turns
  // the rule off for one module file would let the edge back in without any fixture noticing.
  it("no file in app/modules is exempt from the rule", async () => {
    const files = readdirSync(`${root}app/modules`, { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const exempt: string[] = [];
    for (const file of files) {
      const config = (await eslint.calculateConfigForFile(`app/modules/${file}`)) as { rules?: Record<string, unknown> };
      const setting = config.rules?.["@typescript-eslint/no-restricted-imports"];
      const severity = Array.isArray(setting) ? setting[0] : setting;
      if (severity !== 2 && severity !== "error") exempt.push(file);
    }
    expect(exempt).toEqual([]);
  });
});
