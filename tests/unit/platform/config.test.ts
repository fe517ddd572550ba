import path from "node:path";
import express from "express";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../server/config.ts";
import { trustProxySetting } from "../../../server/start.ts";

function messageOf(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
}

describe("configuration is read once and validated", () => {
  it("runs with no settings at all: embedded database in ./data on port 3000", () => {
    const config = loadConfig({});
    expect(config.env).toBe("development");
    expect(config.isProduction).toBe(false);
    expect(config.demo).toBe(false);
    expect(config.port).toBe(3000);
    expect(config.host).toBe("0.0.0.0");
    expect(config.dataDir).toBe(path.resolve("data"));
    expect(config.uploadsDir).toBe(path.resolve("data", "uploads"));
    expect(config.database).toEqual({ kind: "pglite", dataDir: path.resolve("data") });
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.secureCookies).toBe(false);
    expect(config.appSecret).toBeNull();
    expect(config.smtpUrl).toBeNull();
    expect(config.meili).toBeNull();
    expect(config.logLevel).toBe("info");
    expect(config.trustProxy).toBe(false);
  });

  it("takes PORT 0 to mean any free port (tests), and names PORT when it is not a port", () => {
    expect(loadConfig({ PORT: "0" }).port).toBe(0);
    expect(loadConfig({ PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    // An empty PORT= is a mistake, not "any port".
    for (const bad of ["seventy", "70000", "-1", "80.5", "", " 80"]) {
      expect(messageOf({ PORT: bad }), JSON.stringify(bad)).toMatch(/^Invalid configuration:\n {2}PORT: /);
    }
  });

  it("names the variable when a value is bad", () => {
    expect(messageOf({ DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL: must be a postgresql:// connection URL");
    expect(messageOf({ DATABASE_URL: "localhost:5432" })).toContain("DATABASE_URL");
    expect(messageOf({ SMTP_URL: "http://mail" })).toContain("SMTP_URL");
    expect(messageOf({ LOG_LEVEL: "loud" })).toContain("LOG_LEVEL");
    expect(messageOf({ PUBLIC_URL: "rapport.example" })).toContain("PUBLIC_URL");
    // Every bad variable at once, so one restart fixes them all.
    const both = messageOf({ PORT: "x", DATABASE_URL: "mysql://x" });
    expect(both).toContain("PORT");
    expect(both).toContain("DATABASE_URL");
  });

  it("opens PostgreSQL when DATABASE_URL is set", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://db/rapport", DATABASE_POOL_SIZE: "20" }).database).toEqual({
      kind: "postgres",
      url: "postgres://db/rapport",
      poolSize: 20,
    });
  });

  it("refuses to start in production without the secrets and settings production needs", () => {
    const message = messageOf({ NODE_ENV: "production" });
    expect(message).toContain("APP_SECRET");
    expect(message).toContain("PUBLIC_URL");
    expect(message).toContain("SMTP_URL");
    expect(messageOf({ NODE_ENV: "production", APP_SECRET: "x".repeat(40), SMTP_URL: "smtp://m", PUBLIC_URL: "http://rapport.example" })).toContain(
      "must be https://",
    );
    expect(messageOf({ NODE_ENV: "production", APP_SECRET: "short", SMTP_URL: "smtp://m", PUBLIC_URL: "https://r.example" })).toContain("APP_SECRET");
  });

  it("names each missing production setting on its own", () => {
    const complete = { NODE_ENV: "production", APP_SECRET: "s".repeat(40), PUBLIC_URL: "https://r.example", SMTP_URL: "smtp://m" };
    for (const name of ["APP_SECRET", "PUBLIC_URL", "SMTP_URL"] as const) {
      const message = messageOf({ ...complete, [name]: undefined } as Record<string, string>);
      expect(message).toContain(`${name}: is required in production`);
      for (const other of ["APP_SECRET", "PUBLIC_URL", "SMTP_URL"].filter((n) => n !== name)) expect(message).not.toContain(other);
    }
    expect(messageOf({ ...complete, MEILI_URL: "https://search.example" })).toContain("MEILI_KEY");
  });

  it("accepts a complete production configuration with Secure cookies", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      APP_SECRET: "s".repeat(48),
      PUBLIC_URL: "https://rapport.example.com/",
      SMTP_URL: "smtps://user:pass@mail.example.com",
      DATABASE_URL: "postgresql://rapport@db/rapport",
    });
    expect(config.isProduction).toBe(true);
    expect(config.secureCookies).toBe(true);
    expect(config.publicUrl).toBe("https://rapport.example.com");
    expect(config.database).toMatchObject({ kind: "postgres" });
  });

  it("lets the demo run the production build without production secrets", () => {
    const config = loadConfig({ NODE_ENV: "production", RAPPORT_DEMO: "1" });
    expect(config.demo).toBe(true);
    expect(config.isProduction).toBe(false);
    expect(config.env).toBe("production");
    expect(loadConfig({ NODE_ENV: "production", RAPPORT_DEMO: "true" }).demo).toBe(true);
    expect(messageOf({ NODE_ENV: "production", RAPPORT_DEMO: "0" })).toContain("APP_SECRET");
    expect(messageOf({ RAPPORT_DEMO: "maybe" })).toContain("RAPPORT_DEMO");
  });

  it("refuses several instances on the embedded database", () => {
    expect(messageOf({ INSTANCES: "3" })).toContain("single instance");
    expect(loadConfig({ INSTANCES: "3", DATABASE_URL: "postgres://db/rapport" }).database.kind).toBe("postgres");
  });
});

describe("TRUST_PROXY becomes Express's trust proxy setting", () => {
  it.each([
    ["", false],
    ["false", false],
    ["true", true],
    ["0", 0],
    ["2", 2],
    ["loopback", "loopback"],
    ["10.0.0.0/8, 192.168.0.1", "10.0.0.0/8, 192.168.0.1"],
  ] as const)("%j → %j, which Express accepts", (value, expected) => {
    const setting = trustProxySetting(loadConfig({ TRUST_PROXY: value }).trustProxy);
    expect(setting).toBe(expected);
    expect(() => express().set("trust proxy", setting)).not.toThrow();
  });

  it("is off when unset", () => {
    expect(trustProxySetting(loadConfig({}).trustProxy)).toBe(false);
  });
});
