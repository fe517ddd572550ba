import { describe, expect, it } from "vitest";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isDatabaseUnavailable } from "../../../app/modules/availability/database-errors.ts";
import handleRequest, { handleDataRequest, handleError } from "../../../app/entry.server.tsx";

const prismaError = (code: string, message: string) => Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code });

describe("telling a missing database from a bug", () => {
  it("knows the shapes a restart, an unreachable server and a full pool take", () => {
    for (const error of [
      prismaError("P1001", "Can't reach database server at 127.0.0.1:5432"),
      prismaError("P2010", "Raw query failed. Code: `57P01`. Message: `terminating connection due to administrator command`"),
      prismaError("P2010", "Raw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5433`"),
      prismaError("P2024", "Timed out fetching a new connection from the connection pool."),
      new Error("Client has encountered a connection error and is not queryable"),
      new Error("Transaction API error: Unable to start a transaction in the given time."),
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      Object.assign(new Error("the database system is starting up"), { code: "57P03" }),
      new Error("wrapped", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }) }),
    ]) {
      expect(isDatabaseUnavailable(error), String((error as Error).message)).toBe(true);
    }
  });

  it("does not take a bug or bad data for an outage", () => {
    for (const error of [
      prismaError("P2002", "Unique constraint failed on the fields: (`email`)"),
      prismaError("P2025", "An operation failed because it depends on one or more records that were required but not found."),
      Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" }),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      "a string",
      null,
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });
});

describe("a loader or action that finds the database gone", () => {
  function context(locale: "en" | "vi") {
    const reported: unknown[] = [];
    const logged: unknown[] = [];
    const ctx = {
      locale,
      requestId: "req-1",
      cspNonce: "n",
      services: {
        availability: { reportFailure: (e: unknown) => reported.push(e), isDown: () => false, probe: async () => true },
        logger: { error: (o: unknown) => logged.push(o), warn() {}, info() {}, debug() {} },
      },
    } as unknown as AppLoadContext;
    return { ctx, reported, logged };
  }
  const request = () => new Request("http://localhost/community");
  const outage = prismaError("P1001", "Can't reach database server at 127.0.0.1:5432");

  it("answers the page 503 with Retry-After in the visitor's language, and tells the availability monitor", async () => {
    const { ctx, reported, logged } = context("vi");
    handleError(outage, { request: request(), params: {}, context: ctx });
    expect(reported).toEqual([outage]);
    expect(logged).toEqual([]);
    const response = (await handleRequest(request(), 500, new Headers(), {} as EntryContext, ctx)) as Response;
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    const html = await response.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain("Rapport đang tạm gián đoạn");
    expect(html).toContain("req-1");
  });

  it("answers a client-side navigation's data 503 with Retry-After, keeping Remix's body for its error boundary", async () => {
    const { ctx } = context("en");
    handleError(outage, { request: request(), params: {}, context: ctx });
    const response = await handleDataRequest(new Response("turbo-stream", { status: 500, headers: { "content-type": "text/x-script" } }), { request: request(), params: {}, context: ctx });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("content-type")).toBe("text/x-script");
    expect(await response.text()).toBe("turbo-stream");
  });

  it("leaves any other error a logged 500", async () => {
    const { ctx, reported, logged } = context("en");
    const bug = new TypeError("boom");
    handleError(bug, { request: request(), params: {}, context: ctx });
    expect(reported).toEqual([]);
    expect(logged).toHaveLength(1);
    const data = await handleDataRequest(new Response("x", { status: 500 }), { request: request(), params: {}, context: ctx });
    expect(data.status).toBe(500);
  });
});
