/**
 * A child process for the embedded database's crash test: opens PGlite in the folder given, then
 * stores kept-mail rows one after another and prints each id once its insert has returned
 * (acknowledged). The test SIGKILLs it at a random moment.
 */
import { openDatabase } from "../../server/db/open.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: pglite-writer <dataDir>");
const opened = await openDatabase({ kind: "pglite", dataDir });
process.stdout.write("ready\n");
for (let i = 0; ; i++) {
  const row = await opened.db.mailMessage.create({
    data: { to: `crash-${process.pid}-${i}@example.test`, subject: "Kiểm tra sau sự cố", text: "x".repeat(200 + (i % 50)) },
    select: { id: true },
  });
  process.stdout.write(`${row.id}\n`);
}
