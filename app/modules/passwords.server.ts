/**
 * Password hashing (argon2id) and the common-password check. Beside the domains, not in auth:
 * auth signs in and resets with it, and members confirm an account's deletion with it.
 */
import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";

// OWASP Password Storage Cheat Sheet minimum for argon2id: 19 MiB, t=2, p=1.
const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id; the enum is a const enum */, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string) {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string | null, password: string) {
  // Hash anyway when there is no user, so a wrong email costs as long as a wrong password.
  if (!passwordHash) {
    await hash(password, ARGON2_OPTIONS);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let common: Set<string> | undefined;

/** The 49k most common passwords, from the zxcvbn-ts dictionary. */
export function isCommonPassword(password: string) {
  common ??= new Set(dictionary["passwords-common"]);
  return common.has(password.toLowerCase());
}
