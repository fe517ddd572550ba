import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.ts";

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
    expect(config.port).toBe(3000);
    expect(config.database).toMatchObject({ kind: "pglite" });
    expect(config.dataDir).toMatch(/data$/);
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.secureCookies).toBe(false);
  });

  it("names the variable when a value is bad", () => {
    expect(messageOf({ PORT: "seventy" })).toContain("PORT");
    expect(messageOf({ DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL");
    expect(messageOf({ SMTP_URL: "http://mail" })).toContain("SMTP_URL");
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
  });

  it("refuses several instances on the embedded database", () => {
    expect(messageOf({ INSTANCES: "3" })).toContain("single instance");
    expect(loadConfig({ INSTANCES: "3", DATABASE_URL: "postgres://db/rapport" }).database.kind).toBe("postgres");
  });
});
