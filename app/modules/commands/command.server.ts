/**
 * The command runner: every write in app/modules is a command defined here,
 * so the write path is a mechanism rather than a habit (docs/decisions/017).
 * In fixed steps, as Discourse's services run them:
 *
 *   who (the actor's role) → ref (which thing) → load it → policy → input (zod)
 *     → replay (an idempotent retry gets its first answer) → rate limit
 *     → one transaction (the body gets touchpoint, audit and outbox helpers)
 *     → after the commit: kick the outbox once, then the typed publications.
 *
 * The policy runs before the body is validated, so someone who may not act
 * learns only that (or that the thing is not there), never which of their
 * fields were wrong.
 *
 * A step that refuses returns the one failure type (./failure.ts); a body
 * that returns a failure rolls its transaction back, so a refused command
 * leaves nothing behind. Publications are collected during the body and sent
 * only once the commit succeeded: a rolled-back write is never announced.
 */
import type { ZodType, ZodTypeDef } from "zod";
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../policy/actor";
import { recordTouchpoint, recordTouchpoints, type TouchpointInput } from "../timeline/touchpoints.server";
import { recordAudit, type AuditEntry } from "../audit/audit.server";
import { enqueueOutboxEvent } from "../outbox/outbox.server";
import { hitRateLimits, type Limit } from "../rate-limit/rate-limit.server";
import type { ServerToClientEvents } from "~/realtime/events";
import { fail, isFailure, type Failure, type Ok, type Reason } from "./failure";

export type { Actor };

type EventArgs<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

/** What a command body may announce; sent after the commit, in order. */
export interface Publisher {
  toUser<E extends keyof ServerToClientEvents>(userId: string, event: E, ...args: EventArgs<E>): void;
  toRoom<E extends keyof ServerToClientEvents>(room: string, event: E, ...args: EventArgs<E>): void;
  /** Anything else that must wait for the commit (sockets leaving rooms, a follow-up read and emit, a file to delete); it gets the services. */
  afterCommit(effect: (services: Services) => unknown): void;
}

/** The helpers a command's transaction body gets. `now` is one instant for the whole command. */
export interface Steps<A extends Actor | null = Actor> extends Publisher {
  tx: Tx;
  now: Date;
  actor: A;
  touchpoint(input: Omit<TouchpointInput, "at"> & { at?: Date }): Promise<void>;
  touchpoints(inputs: (Omit<TouchpointInput, "at"> & { at?: Date })[]): Promise<void>;
  /** An audit row; the actor, the instant and the client address are the command's. */
  audit(entry: Omit<AuditEntry, "actorId" | "at" | "ip"> & { at?: Date }): Promise<void>;
  enqueue(type: string, payload: Record<string, unknown>, availableAt?: Date): Promise<void>;
}

/** Where a command runs from: the HTTP request or the socket, for the audit trail. */
export interface CommandOrigin {
  ip?: string | null;
}

/**
 * What a caller passes: the parsed fields, each of any type (a form gives strings, a socket
 * anything), and whatever else the form carried (ignored by the parser).
 */
export type RawInput<Input> = { [K in keyof Input]?: unknown } & { [field: string]: unknown };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw side is unknown by design
type Parser<T> = ZodType<T, ZodTypeDef, any>;

interface SpecSteps<Ref, Input, Subject, Value extends object, A extends Actor | null> {
  /** `domain.verb`, as logs and the architecture test name it. */
  name: string;
  /**
   * Who may attempt it at all, from the actor alone: checked before anything is read, so a
   * role that may never act is refused the same way whether or not the thing exists.
   */
  who?: (actor: A) => boolean;
  /** Which thing the command acts on (ids). A malformed reference is "not found". */
  ref?: Parser<Ref>;
  /** Reads what the policy decides on. null is "not found"; a failure stops here. */
  load?: (services: Services, ref: Ref, actor: A) => Promise<Subject | null | Failure>;
  /** Allowed, or the refusal (a boolean false is "not allowed"). May read (member scope, presence). Omitted only when `who` decides alone. */
  policy?: (actor: A, subject: Subject, ref: Ref, services: Services) => boolean | Failure | Promise<boolean | Failure>;
  /** Parses the body (a form's fields, a socket payload); its messages are message keys. */
  input?: Parser<Input>;
  /**
   * An idempotent retry (a client id sent again after a lost ack): the stored answer of the
   * first attempt, or null. Asked before the rate limit, so a resend costs nothing, and again
   * when the transaction meets a unique violation (two tabs retrying at once: the loser gets
   * the winner's answer).
   */
  replay?: (services: Services, input: Ref & Input, actor: A, subject: Subject) => Promise<Ok<Value> | Failure | null>;
  /** Counted only for a command that passed its policy and parsed: a refused one costs nothing. */
  limit?: (actor: A, input: Ref & Input, origin: CommandOrigin) => { key: string; limit: Limit } | { key: string; limit: Limit }[] | null;
  /** The write: one transaction. Returning a failure rolls it back. */
  run: (steps: Steps<A>, input: Ref & Input, subject: Subject) => Promise<Ok<Value> | Failure>;
  /**
   * What a unique index refusing the write means (P2002: someone took the username or the email
   * a moment ago). Asked after the rollback, so it may read; without it the error is thrown.
   */
  conflict?: (services: Services, input: Ref & Input) => Failure | Promise<Failure>;
}

/**
 * A command is for someone signed in; one marked `anonymous` (sign-up, password reset, a mailed
 * link) is also open to a visitor, and then its steps see a null actor (its audit rows name nobody).
 */
export type CommandSpec<Ref, Input, Subject, Value extends object> =
  | (SpecSteps<Ref, Input, Subject, Value, Actor> & { anonymous?: false })
  | (SpecSteps<Ref, Input, Subject, Value, Actor | null> & { anonymous: true });

export type Command<Value extends object, Input> = ((services: Services, actor: Actor | null, input: RawInput<Input>, origin?: CommandOrigin) => Promise<Ok<Value> | Failure>) & {
  commandName: string;
};

/** Thrown inside the transaction to roll a refused body back; never escapes the runner. */
class Refused extends Error {
  constructor(readonly failure: Failure) {
    super(failure.error);
  }
}

export function defineCommand<Ref extends object = object, Input extends object = object, Subject = undefined, Value extends object = object>(
  spec: CommandSpec<Ref, Input, Subject, Value>,
): Command<Value, Ref & Input> {
  if (!spec.who && !spec.policy && !spec.anonymous) throw new Error(`command ${spec.name} has neither a policy nor a who`);
  // One body for both kinds: a signed-in command never reaches its steps with a null actor (refused first).
  const phases = spec as SpecSteps<Ref, Input, Subject, Value, Actor | null>;
  const run = async (services: Services, actor: Actor | null, raw: RawInput<Ref & Input>, origin: CommandOrigin = {}): Promise<Ok<Value> | Failure> => {
    if (!actor && !spec.anonymous) return fail.notAllowed();
    if (phases.who && !phases.who(actor)) return fail.notAllowed();
    const referred = spec.ref ? spec.ref.safeParse(raw) : { success: true as const, data: {} as Ref };
    if (!referred.success) return fail.notFound();
    const ref = referred.data;

    let subject = undefined as Subject;
    if (phases.load) {
      const loaded = await phases.load(services, ref, actor);
      if (loaded === null) return fail.notFound();
      if (isFailure(loaded)) return loaded;
      subject = loaded;
    }

    const allowed = phases.policy ? await phases.policy(actor, subject, ref, services) : true;
    if (allowed !== true) return allowed === false ? fail.notAllowed() : allowed;

    const parsed = spec.input ? spec.input.safeParse(raw) : { success: true as const, data: {} as Input };
    if (!parsed.success) return fail.fromZod(parsed.error);
    const input = { ...parsed.data, ...ref };

    const replayed = phases.replay ? await phases.replay(services, input, actor, subject) : null;
    if (replayed) return replayed;

    const now = services.clock.now();
    const limits = phases.limit?.(actor, input, origin);
    if (limits) {
      const hit = await hitRateLimits(services.db, Array.isArray(limits) ? limits : [limits], now);
      if (!hit.allowed) return fail.rateLimited(hit.retryAfterSeconds);
    }

    const effects: ((services: Services) => unknown)[] = [];
    let result: Ok<Value>;
    try {
      result = await services.db.$transaction(async (tx) => {
        const at = (when?: Date) => when ?? now;
        const helpers: Steps<Actor | null> = {
          tx,
          now,
          actor,
          touchpoint: async ({ at: when, ...input }) => void (await recordTouchpoint(tx, { ...input, at: at(when) })),
          touchpoints: (inputs) => recordTouchpoints(tx, inputs.map(({ at: when, ...input }) => ({ ...input, at: at(when) }))),
          audit: ({ at: when, ...entry }) => recordAudit(tx, { ...entry, actorId: actor?.id ?? null, ip: origin.ip ?? null, at: at(when) }),
          enqueue: (type, payload, availableAt) => enqueueOutboxEvent(tx, type, payload, availableAt),
          toUser: (userId, event, ...args) => void effects.push(() => services.realtime.toUser(userId, event, ...args)),
          toRoom: (room, event, ...args) => void effects.push(() => services.realtime.toRoom(room, event, ...args)),
          afterCommit: (effect) => void effects.push(effect),
        };
        const outcome = await phases.run(helpers, input, subject);
        if (!outcome.ok) throw new Refused(outcome);
        return outcome;
      });
    } catch (error) {
      if (error instanceof Refused) return error.failure;
      if ((error as { code?: string }).code === "P2002") {
        const winner = phases.replay ? await phases.replay(services, input, actor, subject) : null;
        if (winner) return winner;
        if (phases.conflict) return phases.conflict(services, input);
      }
      throw error;
    }

    // Committed. Most commands enqueue (every touchpoint does): one kick wakes the dispatcher now, not at its next poll.
    services.outbox.kick();
    for (const effect of effects) {
      try {
        await effect(services);
      } catch (error) {
        // The write stands; a live update that failed is caught up by the next page load.
        services.logger.warn({ err: error, command: spec.name }, "an after-commit publication failed");
      }
    }
    return result;
  };
  return Object.assign(run, { commandName: spec.name });
}

/** A policy that only asks for a permission-like predicate on the actor. */
export const allow = (predicate: (actor: Actor) => boolean) => (actor: Actor) => predicate(actor);

/** Reasons a command may return, for a route's type narrowing. */
export type CommandFailure<C> = C extends Command<object, never> ? Extract<Awaited<ReturnType<C>>, { ok: false }> : never;
export type { Reason };
