import type { Actor } from "../actor";

/** A thing someone wrote. */
export type Owned = { authorId: string };

export const own = (actor: Actor, subject: Owned) => subject.authorId === actor.id;

/** A domain's rules: action name → predicate over the actor (and the subject's facts). */
export type Rules = Record<string, (actor: Actor, subject: never) => boolean>;
