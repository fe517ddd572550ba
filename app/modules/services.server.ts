/**
 * The services the composition root (server/) builds and hands to every
 * module function. Tests build the same object with real parts.
 */
import type { PrismaClient } from "~/generated/prisma/client";
import type { Auth } from "./auth/lucia.server";
import type { Locale } from "./locales";
import type { SearchEngine } from "./search/engine";
import type { ServerToClientEvents } from "~/realtime/events";

/** An event of the one typed map and the arguments it takes. */
export type EventName = keyof ServerToClientEvents;
export type EventArgs<E extends EventName> = Parameters<ServerToClientEvents[E]>;
/** What a socket taken out of a room is told, per room. */
export type RoomNotice<E extends EventName> = { event: E; args: (room: string) => EventArgs<E> };

export type Db = PrismaClient;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: OutgoingMail): Promise<void>;
}

/** Emits to connected sockets. Only called after a transaction commits. */
export interface Realtime {
  toUser<E extends EventName>(userId: string, event: E, ...args: EventArgs<E>): void;
  toRoom<E extends EventName>(room: string, event: E, ...args: EventArgs<E>): void;
  /** Of these users, those with at least one connected socket (on any instance). */
  onlineUsers(userIds: string[]): Promise<Set<string>>;
  /** These users' sockets (on every instance) leave these rooms: access was withdrawn. */
  leaveRooms(userIds: string[], rooms: string[]): void;
  /**
   * Sockets (on every instance) in these rooms whose role is not one of these leave them,
   * each first told `notice` (its page says why it stopped hearing the room).
   */
  leaveRoomsUnlessRole<E extends EventName>(rooms: string[], roles: readonly string[], notice?: RoomNotice<E>): Promise<void>;
  /**
   * Ends a user's sockets now, on every instance: each hears session:ended and its tab reloads,
   * unless `quiet` (the tab that acted is navigating already: a reload would cut that short).
   * After a log-out, a suspension or a role change, a socket must not keep hearing the rooms it
   * joined before (its own events are refused anyway, but listening needs no event).
   */
  closeSockets(userId: string, which?: { session?: string; exceptSession?: string; quiet?: boolean }): Promise<void>;
}

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The span the figures cover. */
  windowMs: number;
}

/** What this process is and how it fares (/staff/system); built by server/runtime.ts. */
export interface RuntimeInfo {
  version: string;
  /** When this process started: its last restart. */
  startedAt: Date;
  databaseKind: "pglite" | "postgres";
  /** Whether mail goes to SMTP_URL's server (otherwise it is kept in the database, /dev/mail). */
  smtpConfigured: boolean;
  eventLoopDelay(): EventLoopDelay;
}

export interface PublicSettings {
  publicUrl: string;
  secureCookies: boolean;
  isProduction: boolean;
  /** Whether kept mail is browsable at /dev/mail. */
  devMailbox: boolean;
  defaultLocale: Locale;
  /** Log-in attempts per client address per 15 minutes. */
  loginMaxPerIp: number;
}

export interface Services {
  db: Db;
  auth: Auth;
  mailer: Mailer;
  clock: Clock;
  realtime: Realtime;
  logger: Logger;
  settings: PublicSettings;
  /** Wakes the outbox dispatcher after a commit that enqueued events. */
  outbox: { kick(): void };
  /** Server-side secrets (signing unsubscribe links). Never sent to a browser. */
  secrets: { app: string };
  storage: FileStorage;
  /** PostgreSQL full-text search by default, Meilisearch when configured (ADR 010). */
  search: SearchEngine;
  /** Whether the database is believed gone (then pages answer 503); requests report failures here. */
  availability: { isDown(): boolean; reportFailure(error: unknown): void; probe(timeoutMs?: number): Promise<boolean> };
  runtime: RuntimeInfo;
}

/** Where uploads live: a folder by default; S3-compatible storage can implement it. */
export interface FileStorage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<{ bytes: Buffer; contentType: string } | null>;
  delete(key: string): Promise<void>;
}
