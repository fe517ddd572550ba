/**
 * The write path as a checked rule (docs/decisions/017): every exported
 * entry point of app/modules that writes through Prisma is a command made by
 * defineCommand. A function whose parameter is a transaction (`Tx`) is a
 * step a command calls inside its own transaction and may write; a function
 * that writes through the client or the services by itself is an entry
 * point that skipped the runner, and is listed here by name.
 *
 * The only exceptions are infrastructure that is not a use case (each with
 * its reason below). The test reads the sources with the TypeScript parser,
 * so it can fail: a new `export async function x(db: Db) { db.a.create() }`
 * in a module turns it red, naming `file#x`.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const MODULES = join(ROOT, "app/modules");

/** Prisma's writing methods, on a model delegate or the client. */
const WRITES = new Set(["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany", "$executeRaw", "$executeRawUnsafe", "$transaction"]);

/** Infrastructure that writes outside a use case, each for a reason. */
const INFRASTRUCTURE: Record<string, string> = {
  "commands/command.server.ts": "the runner itself opens the one transaction",
  "mail/mailer.server.ts": "the mail transport (without SMTP it keeps each message in a table); it is called by outbox handlers",
  "search/indexing.server.ts": "rebuilding the search projection from the database (npm run search:reindex)",
  "outbox/outbox.server.ts": "the outbox dispatcher claims, completes and retries events: it runs the after-commit side, not a use case",
  "rate-limit/rate-limit.server.ts": "counting attempts must commit even when the attempt is refused",
  "auth/lucia-adapter.server.ts": "Lucia's session store (sessions are created, extended and ended by the library)",
  "search/postgres-engine.server.ts": "the search index is a projection written by outbox handlers",
  "availability.server.ts": "the database probe writes nothing but asks through the client",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Does this function body call a Prisma write (`x.model.create(...)`, `db.$transaction(...)`)? */
function writes(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(child) && ts.isPropertyAccessExpression(child.expression) && WRITES.has(child.expression.name.text)) {
      const method = child.expression.name.text;
      // A model delegate is reached through the client (`db.member.update`); `hash.update()` is not Prisma.
      if (method.startsWith("$") || ts.isPropertyAccessExpression(child.expression.expression)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

type FunctionLike = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/**
 * The after-commit side of the write path: an outbox handler runs once per committed event
 * (a delivery row keys it) and may write what the event asks for (a bell entry, a mail).
 */
function isOutboxHandler(fn: FunctionLike) {
  return !!fn.type && /\bOutboxHandler\b/.test(fn.type.getText());
}

/** A step runs inside its caller's transaction: one of its parameters is a `Tx`. */
function takesTransaction(fn: FunctionLike) {
  return fn.parameters.some((p) => p.type && /\bTx\b/.test(p.type.getText()));
}

function isDefineCommand(expression: ts.Expression | undefined) {
  return !!expression && ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === "defineCommand";
}

function exported(node: ts.Node) {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** `file#name` for every exported function that writes outside the runner. */
function entryPointsThatWrite(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(MODULES)) {
    const name = relative(MODULES, file);
    if (INFRASTRUCTURE[name] || name.startsWith("generated/")) continue;
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (!exported(statement)) continue;
      if (ts.isFunctionDeclaration(statement) && statement.body && statement.name) {
        if (!takesTransaction(statement) && !isOutboxHandler(statement) && writes(statement.body)) found.push(`${name}#${statement.name.text}`);
      }
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer;
          if (!init || isDefineCommand(init) || !ts.isIdentifier(declaration.name)) continue;
          if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && !takesTransaction(init) && !isOutboxHandler(init) && writes(init.body)) found.push(`${name}#${declaration.name.text}`);
        }
      }
    }
  }
  return found.sort();
}

describe("the one write path", () => {
  const writers = entryPointsThatWrite();

  it("finds writers: the check itself sees a write outside the runner", () => {
    const probe = ts.createSourceFile("probe.ts", "export async function leak(db: Db) { await db.member.update({}); }", ts.ScriptTarget.Latest, true);
    const fn = probe.statements[0] as ts.FunctionDeclaration;
    expect(takesTransaction(fn)).toBe(false);
    expect(writes(fn.body!)).toBe(true);
    const step = ts.createSourceFile("step.ts", "export async function step(tx: Tx) { await tx.member.update({}); }", ts.ScriptTarget.Latest, true);
    expect(takesTransaction(step.statements[0] as ts.FunctionDeclaration)).toBe(true);
  });

  it("every exported function of app/modules that writes is a command (or a step taking the caller's transaction)", () => {
    expect(writers, "write through defineCommand (app/modules/commands), or take the caller's Tx").toEqual([]);
  });
});
