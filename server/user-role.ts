/**
 * npm run user:role -- <email> <member|moderator|staff|admin>
 * Gives an existing account a role from the server's shell: how a fresh
 * install gets its first admin (sign up, then run this), and a way back in
 * if no admin is left. Same rules as /staff/team, audited as "via: cli".
 * On the embedded database, stop the app first: PGlite belongs to one process.
 * A running server on PostgreSQL delivers the notification; the person's open
 * tabs take the new role at their next page load (this process has no sockets).
 */
import { pathToFileURL } from "node:url";
import { loadConfig } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import { lateBoundRealtime } from "./services.ts";
import { ROLES } from "../app/modules/policy/permissions.ts";
import { pino } from "pino";
import { changeRole, isRole, refusalCount, roleChangeMessage, type RoleChangeError } from "../app/modules/members/roles.server.ts";
import { systemClock, type Services } from "../app/modules/services.server.ts";
import { translator } from "../app/i18n/translate.ts";

const USAGE = `Usage: npm run user:role -- <email> <${ROLES.join("|")}>`;

/** Runs the command against these services; the exit code and the one line to print. */
export async function userRoleCommand(services: Pick<Services, "db" | "clock" | "realtime" | "outbox" | "logger">, args: string[]) {
  const [email, role, ...rest] = args;
  if (!email || !role || rest.length || !email.includes("@")) return { code: 2, line: USAGE };
  if (!isRole(role)) return { code: 2, line: `Unknown role "${role}". ${USAGE}` };
  // Acting as nobody: the operator at the shell (the command's null actor). It needs no more of the services than these.
  const result = await changeRole(services as Services, null, { email, role });
  if (!result.ok) {
    // The page's own words, in English: the shell and the page give the same reasons.
    const reason = translator("en")(roleChangeMessage(result.error as RoleChangeError, true), { count: refusalCount(result) });
    const where = result.error === "managesMembers" || result.error === "isBackup" ? " (/staff/assignments)" : "";
    return { code: 1, line: `Not changed: ${reason}${where}` };
  }
  const who = `${result.user.displayName} <${result.user.email}>`;
  return { code: 0, line: result.changed ? `${who} is now ${result.to} (was ${result.from}).` : `${who} is already ${result.to}; nothing changed.` };
}

async function main() {
  const config = loadConfig();
  const opened = await openDatabase(config.database);
  try {
    const { code, line } = await userRoleCommand(
      {
        db: opened.db,
        clock: systemClock,
        // No sockets here (nothing attaches, so emits are dropped), and the running server's dispatcher polls the outbox.
        realtime: lateBoundRealtime(),
        outbox: { kick() {} },
        logger: pino({ level: config.logLevel }),
      },
      process.argv.slice(2),
    );
    (code === 0 ? console.log : console.error)(line);
    process.exitCode = code;
  } finally {
    await opened.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
