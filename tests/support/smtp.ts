/**
 * A real SMTP server for tests (smtp-server), keeping what it receives parsed (mailparser).
 * It can be started and stopped on a fixed port, and told to refuse recipients, to play a mail
 * server that is down, greylisting (4xx) or rejecting (5xx).
 */
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { freeLocalPort } from "./ports.ts";
import { createTestServices, type TestServices } from "./services.ts";
import { movableClock, type MovableClock } from "./clock.ts";

export interface TestSmtp {
  url: string;
  received: ParsedMail[];
  /** null accepts; otherwise every RCPT TO gets this reply code. */
  refuseWith: number | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** On `port` when given (a bench told which ports it may use), else on a free one. */
export async function testSmtp(port?: number): Promise<TestSmtp> {
  port ??= await freeLocalPort();
  let server: SMTPServer | null = null;
  const state: TestSmtp = {
    url: `smtp://127.0.0.1:${port}`,
    received: [],
    refuseWith: null,
    async start() {
      if (server) return;
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS", "AUTH"],
        logger: false,
        onRcptTo(_address, _session, callback) {
          if (state.refuseWith === null) return callback();
          callback(Object.assign(new Error(state.refuseWith >= 500 ? "No such mailbox" : "Try again later"), { responseCode: state.refuseWith }));
        },
        onData(stream, _session, callback) {
          simpleParser(stream).then(
            (mail) => {
              state.received.push(mail);
              callback();
            },
            (error: Error) => callback(error),
          );
        },
      });
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(port, "127.0.0.1", () => resolve());
      });
    },
    async stop() {
      if (!server) return;
      const closing = server;
      server = null;
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
  return state;
}

export interface MailTestbed {
  smtp: TestSmtp;
  services: TestServices;
  clock: MovableClock;
  dispose(): Promise<void>;
}

/** Services whose mail goes to a real test mail server (stopped until a test starts it), on a clock that stands still. */
export async function mailTestbed(start?: Date): Promise<MailTestbed> {
  const smtp = await testSmtp();
  const services = await createTestServices({ smtpUrl: smtp.url });
  const clock = movableClock(start);
  services.clock = clock;
  return {
    smtp,
    services,
    clock,
    async dispose() {
      await services.dispose();
      await smtp.stop();
    },
  };
}
