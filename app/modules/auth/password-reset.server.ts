/**
 * Forgotten passwords: a mailed link (the same answer whether or not the
 * account exists) and the new password it sets. Both are for visitors, so
 * the commands are `anonymous` (docs/decisions/017).
 */
import { z } from "zod";
import type { Services } from "../services.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { LIMITS, hitRateLimit } from "../rate-limit/rate-limit.server";
import { requestNotification } from "../notifications/notifications.server";
import { hashPassword, isCommonPassword } from "../passwords.server";
import { sha256Hex } from "./tokens.server";
import { enqueueAccountMail } from "./account-mail.server";
import { passwordCommon } from "./signup.server";

export const requestPasswordReset = defineCommand({
  name: "account.request_password_reset",
  anonymous: true,
  input: z.object({ email: z.string().max(320).default("") }),
  limit: (_actor, _input, origin) => ({ key: `reset:ip:${origin.ip ?? ""}`, limit: LIMITS.passwordResetPerIp }),
  async run({ tx, now }, input) {
    const user = await tx.user.findUnique({ where: { email: input.email.trim().toLowerCase() }, select: { id: true } });
    // The same answer whether or not the account exists, and whether or not its own limit is reached.
    if (!user) return { ok: true };
    const accountLimit = await hitRateLimit(tx, `reset:account:${user.id}`, LIMITS.passwordResetPerAccount, now);
    if (accountLimit.allowed) await enqueueAccountMail(tx, { userId: user.id, purpose: "reset" }, now);
    return { ok: true };
  },
});

/** Whether a reset token can still be used; shown before asking for a new password. */
export async function isResetTokenUsable(services: Services, token: string) {
  const row = await services.db.passwordResetToken.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: { expiresAt: true, usedAt: true },
  });
  return !!row && !row.usedAt && row.expiresAt > services.clock.now();
}

export const resetPassword = defineCommand({
  name: "account.reset_password",
  anonymous: true,
  input: z.object({ token: z.string().max(200).default(""), password: z.string().max(1_000).default("") }),
  async run({ tx, now, afterCommit }, input) {
    if (isCommonPassword(input.password)) return passwordCommon();
    const passwordHash = await hashPassword(input.password);
    // Claim the token atomically: a second use finds nothing to update.
    const claimed = await tx.passwordResetToken.updateMany({
      where: { tokenHash: sha256Hex(input.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) return fail.because("invalid");
    const row = await tx.passwordResetToken.findUniqueOrThrow({ where: { tokenHash: sha256Hex(input.token) }, select: { userId: true } });
    // Following the link proves the mailbox, so the address counts as confirmed.
    const user = await tx.user.update({ where: { id: row.userId }, data: { passwordHash }, select: { id: true, emailVerifiedAt: true } });
    if (!user.emailVerifiedAt) await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: now } });
    await tx.passwordResetToken.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: now } });
    await tx.session.deleteMany({ where: { userId: row.userId } });
    await requestNotification(tx, { userId: row.userId, kind: "account.security", link: "/profile/security" });
    afterCommit((services) => services.realtime.closeSockets(row.userId));
    return { ok: true, userId: row.userId };
  },
});
