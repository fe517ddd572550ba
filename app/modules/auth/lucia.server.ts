/**
 * Lucia 3 with our own Prisma 7 adapter (the official one stops at Prisma 5).
 * Lucia stays inside this module so it can be swapped for hand-rolled
 * sessions (docs/decisions/003-sessions-with-lucia.md).
 *
 * The adapter stores SHA-256 of the session token, never the token itself:
 * a copy of the sessions table cannot be replayed as cookies.
 */
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { PrismaClient } from "~/generated/prisma/client";
import type { Role } from "~/generated/prisma/enums";
import { sha256Hex } from "./tokens.server";

export const SESSION_COOKIE = "rapport_session";

function prismaSessionAdapter(db: PrismaClient): Adapter {
  const toDatabaseSession = (s: {
    id: string;
    userId: string;
    expiresAt: Date;
    userAgent: string | null;
    ip: string | null;
  }): DatabaseSession => ({
    id: s.id,
    userId: s.userId,
    expiresAt: s.expiresAt,
    attributes: { userAgent: s.userAgent, ip: s.ip },
  });
  return {
    async getSessionAndUser(sessionId) {
      const row = await db.session.findUnique({
        where: { id: sha256Hex(sessionId) },
        select: {
          id: true,
          userId: true,
          expiresAt: true,
          userAgent: true,
          ip: true,
          user: {
            select: { id: true, email: true, displayName: true, role: true, locale: true, timezone: true, emailVerifiedAt: true, suspendedUntil: true },
          },
        },
      });
      // A suspension deletes the member's sessions; this also refuses one created in the same instant.
      if (!row || (row.user.suspendedUntil && row.user.suspendedUntil > new Date())) return [null, null];
      const { user, ...session } = row;
      const databaseUser: DatabaseUser = {
        id: user.id,
        attributes: {
          email: user.email,
          displayName: user.displayName,
          role: user.role,
          locale: user.locale,
          timezone: user.timezone,
          emailVerified: user.emailVerifiedAt !== null,
        },
      };
      // Lucia compares ids; hand back the token it asked for.
      return [{ ...toDatabaseSession(session), id: sessionId }, databaseUser];
    },
    async getUserSessions(userId) {
      const rows = await db.session.findMany({
        where: { userId },
        select: { id: true, userId: true, expiresAt: true, userAgent: true, ip: true },
      });
      return rows.map(toDatabaseSession);
    },
    async setSession(session) {
      const attributes = session.attributes as { userAgent?: string | null; ip?: string | null };
      await db.session.create({
        data: {
          id: sha256Hex(session.id),
          userId: session.userId,
          expiresAt: session.expiresAt,
          userAgent: attributes.userAgent?.slice(0, 300) ?? null,
          ip: attributes.ip ?? null,
        },
      });
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      await db.session.updateMany({ where: { id: sha256Hex(sessionId) }, data: { expiresAt } });
    },
    async deleteSession(sessionId) {
      await db.session.deleteMany({ where: { id: sha256Hex(sessionId) } });
    },
    async deleteUserSessions(userId) {
      await db.session.deleteMany({ where: { userId } });
    },
    async deleteExpiredSessions() {
      await db.session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
    },
  };
}

export function createAuth(db: PrismaClient, options: { secureCookies: boolean }) {
  return new Lucia(prismaSessionAdapter(db), {
    // Sliding expiry: Lucia extends a session used in its second half.
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: {
      name: SESSION_COOKIE,
      attributes: { secure: options.secureCookies, sameSite: "lax", path: "/" },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      displayName: attributes.displayName,
      role: attributes.role,
      locale: attributes.locale,
      timezone: attributes.timezone,
      emailVerified: attributes.emailVerified,
    }),
  });
}

export type Auth = ReturnType<typeof createAuth>;

declare module "lucia" {
  interface Register {
    Lucia: Auth;
    DatabaseUserAttributes: {
      email: string;
      displayName: string;
      role: Role;
      locale: string;
      timezone: string;
      emailVerified: boolean;
    };
    DatabaseSessionAttributes: { userAgent: string | null; ip: string | null };
  }
}
