/**
 * Configuration is read once, here, and validated with zod. A bad value stops
 * the start with a message naming the variable (see README "Configuration").
 */
import path from "node:path";
import { z } from "zod";
import type { DatabaseTarget } from "./db/open.ts";
import { parseShopKeys } from "../app/modules/offers/shop-keys.ts";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    RAPPORT_DEMO: bool,
    // Not z.coerce: it reads an empty PORT= as 0, a random port.
    PORT: z
      .string()
      .regex(/^\d{1,5}$/, "must be a port number (0-65535)")
      .default("3000")
      .transform(Number)
      .pipe(z.number().max(65535, "must be a port number (0-65535)")),
    HOST: z.string().min(1).default("0.0.0.0"),
    PUBLIC_URL: z.string().url().optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL")
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    APP_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("Rapport <no-reply@rapport.local>"),
    MEILI_URL: z.string().url().optional(),
    MEILI_KEY: z.string().optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    TRUST_PROXY: z.string().optional(),
    // Log-in attempts allowed per client address in 15 minutes. Raise it when
    // many people share one address (an office behind NAT, an e2e run).
    LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
    // More than one instance needs the shared PostgreSQL database.
    INSTANCES: z.coerce.number().int().min(1).default(1),
    // Shops that may redeem offer codes: name:apiKey:signingSecret, comma-separated (README "Offers").
    OFFERS_API_KEYS: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        try {
          return parseShopKeys(raw);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
          return z.NEVER;
        }
      }),
  })
  .superRefine((env, ctx) => {
    const strict = env.NODE_ENV === "production" && !env.RAPPORT_DEMO;
    if (strict) {
      if (!env.APP_SECRET)
        ctx.addIssue({ code: "custom", path: ["APP_SECRET"], message: "is required in production" });
      if (!env.PUBLIC_URL)
        ctx.addIssue({ code: "custom", path: ["PUBLIC_URL"], message: "is required in production" });
      else if (!env.PUBLIC_URL.startsWith("https://"))
        ctx.addIssue({
          code: "custom",
          path: ["PUBLIC_URL"],
          message: "must be https:// in production (session cookies are Secure)",
        });
      if (!env.SMTP_URL)
        ctx.addIssue({
          code: "custom",
          path: ["SMTP_URL"],
          message: "is required in production (sign-up and password reset send email)",
        });
      if (env.MEILI_URL && !env.MEILI_KEY)
        ctx.addIssue({ code: "custom", path: ["MEILI_KEY"], message: "is required when MEILI_URL is set in production" });
    }
    if (!env.DATABASE_URL && env.INSTANCES > 1)
      ctx.addIssue({
        code: "custom",
        path: ["INSTANCES"],
        message:
          "the embedded database (no DATABASE_URL) runs a single instance; set DATABASE_URL to a PostgreSQL server to scale out",
      });
  });

export type AppConfig = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

export function loadConfig(source: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
  const database: DatabaseTarget = env.DATABASE_URL
    ? { kind: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
    : { kind: "pglite", dataDir };
  return {
    env: env.NODE_ENV,
    /** Production hardening applies; the demo runs the production build without it. */
    isProduction: env.NODE_ENV === "production" && !env.RAPPORT_DEMO,
    demo: env.RAPPORT_DEMO,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    secureCookies: publicUrl.startsWith("https://"),
    dataDir,
    uploadsDir: path.join(dataDir, "uploads"),
    database,
    appSecret: env.APP_SECRET ?? null,
    smtpUrl: env.SMTP_URL ?? null,
    mailFrom: env.MAIL_FROM,
    meili: env.MEILI_URL ? { url: env.MEILI_URL, key: env.MEILI_KEY ?? null } : null,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY ?? false,
    loginMaxPerIp: env.LOGIN_MAX_PER_IP,
    offersApiKeys: env.OFFERS_API_KEYS,
  };
}
