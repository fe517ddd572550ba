/**
 * The one failure type. Every command (and every read a route or socket
 * answers with a refusal) returns `{ ok: false, error, ... }` where `error`
 * is a reason from REASONS below; the edge turns it into an HTTP response or
 * a socket ack with one adapter each, so no route maps reasons to statuses.
 *
 * Reasons are listed in one table so a module cannot invent one the adapters
 * do not know (TypeScript refuses it), and each says once what HTTP answers.
 * Messages are keys: `message` when the module has a specific one, else
 * `failure.<reason>`; the edge localizes them.
 */

/** Reason → HTTP status. A new reason is added here, with its `failure.<reason>` message in both catalogues. */
export const REASONS = {
  // The generic refusals.
  invalid: 400,
  notAllowed: 403,
  forbidden: 403,
  notFound: 404,
  rateLimited: 429,
  unavailable: 503,
  // Files.
  missing: 400,
  tooLarge: 413,
  wrongType: 415,
  storageUnavailable: 507,
  // Accounts.
  emailTaken: 400,
  usernameTaken: 400,
  passwordCommon: 400,
  wrongPassword: 400,
  alreadyVerified: 409,
  used: 410,
  // Domain conflicts: the request was understood, but the state does not allow it.
  closed: 409,
  locked: 409,
  duplicate: 409,
  retired: 409,
  deleted: 409,
  suspended: 409,
  notSuspended: 409,
  self: 409,
  ownPost: 409,
  ownReview: 409,
  alreadyReviewed: 409,
  alreadyReported: 409,
  alreadyFlagged: 409,
  lastAdmin: 409,
  managesMembers: 409,
  hasDuties: 409,
  isBackup: 409,
  notStaff: 409,
  invalidRole: 400,
  unknown: 404,
  unknownKey: 400,
  empty: 400,
  tooMany: 400,
} as const;

export type Reason = keyof typeof REASONS;

/** Field name → message keys, as forms show them beside the field. */
export type FieldErrors = Record<string, string[]>;

export interface Failure<R extends Reason = Reason> {
  ok: false;
  error: R;
  fieldErrors?: FieldErrors;
  retryAfterSeconds?: number;
  /** A specific message key (and its values) when `failure.<reason>` is not enough. */
  message?: { key: string; vars?: Record<string, string | number> };
}

export type Ok<T extends object = object> = { ok: true } & T;
export type Result<T extends object = object, R extends Reason = Reason> = Ok<T> | Failure<R>;

export function isFailure(value: unknown): value is Failure {
  return typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false && typeof (value as { error?: unknown }).error === "string";
}

export function statusOf(failure: Pick<Failure, "error">): number {
  return REASONS[failure.error] ?? 400;
}

/** The message key the edge shows for a failure, and its values. */
export function messageOf(failure: Failure): { key: string; vars: Record<string, string | number> } {
  if (failure.message) return { key: failure.message.key, vars: failure.message.vars ?? {} };
  if (failure.error === "rateLimited") return { key: "failure.rateLimited", vars: { seconds: failure.retryAfterSeconds ?? 1 } };
  return { key: `failure.${failure.error}`, vars: {} };
}

/** Builders, so a failure reads as what happened. */
export const fail = {
  invalid: (fieldErrors: FieldErrors = {}): Failure<"invalid"> => ({ ok: false, error: "invalid", fieldErrors }),
  /** zod's flattened errors (their messages are keys) as field errors. */
  fromZod: (error: { flatten(): { fieldErrors: Record<string, string[] | undefined>; formErrors?: string[] } }): Failure<"invalid"> => {
    const flat = error.flatten();
    const fieldErrors: FieldErrors = {};
    for (const [field, messages] of Object.entries(flat.fieldErrors)) if (messages?.length) fieldErrors[field] = messages;
    if (flat.formErrors?.length) fieldErrors[""] = flat.formErrors;
    return { ok: false, error: "invalid", fieldErrors };
  },
  field: (field: string, key: string): Failure<"invalid"> => ({ ok: false, error: "invalid", fieldErrors: { [field]: [key] } }),
  notFound: (): Failure<"notFound"> => ({ ok: false, error: "notFound" }),
  notAllowed: (): Failure<"notAllowed"> => ({ ok: false, error: "notAllowed" }),
  rateLimited: (retryAfterSeconds: number): Failure<"rateLimited"> => ({ ok: false, error: "rateLimited", retryAfterSeconds }),
  /** A reason that belongs beside one field of the form (an email taken, a password too common). */
  onField: <R extends Reason>(error: R, field: string, key: string): Failure<R> => ({ ok: false, error, fieldErrors: { [field]: [key] } }),
  because: <R extends Reason>(error: R, message?: Failure["message"]): Failure<R> => (message ? { ok: false, error, message } : { ok: false, error }),
};
