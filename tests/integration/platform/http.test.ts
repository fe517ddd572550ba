import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import pg from "pg";
import { pino } from "pino";
import { TEST_POOL_SIZE } from "../../support/services.ts";
import { startTestServer, type TestServer } from "../../support/server.ts";
import { echoBuild } from "../../support/remix-build.ts";
import { routeUrls } from "../../support/route-urls.ts";
import { FORM_BODY_MAX_BYTES } from "../../../server/input-guard.ts";

// The address people use (behind a proxy) differs from where the process listens.
const PUBLIC_URL = "http://rapport.test:8080";

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ PUBLIC_URL });
});

afterAll(async () => {
  await t?.dispose();
});

/** A request with the exact headers given (fetch would set Host itself). */
function raw(method: string, path: string, headers: Record<string, string>, body = "intent=anything") {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(`${t.origin}${path}`, { method, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.origin}${path}`, { headers });
const post = (path: string, headers: Record<string, string> = {}, body = "intent=anything") =>
  fetch(`${t.origin}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });

describe("health and security headers", () => {
  it("answers the health check from the database", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("gives every response a CSP with a fresh script nonce, and no inline scripts without it", async () => {
    const [a, b] = await Promise.all([get("/healthz"), get("/healthz")]);
    const csp = a.headers.get("content-security-policy") ?? "";
    const nonce = (r: Response) => r.headers.get("content-security-policy")?.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
    expect(nonce(a)).toHaveLength(24); // 16 random bytes, base64
    expect(nonce(b)).toHaveLength(24);
    expect(nonce(a)).not.toBe(nonce(b));
    const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scriptSrc).toContain("'strict-dynamic'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    // Plain http here (tests, demo): no HSTS and no upgrade, which would break localhost.
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(a.headers.get("strict-transport-security")).toBeNull();
  });

  it("says nothing about the framework and keeps browsers from sniffing or leaking referrers", async () => {
    const response = await get("/healthz");
    expect(response.headers.get("x-powered-by")).toBeNull();
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("tags each response with a request id, echoing a well-formed one and replacing anything else", async () => {
    const fresh = await get("/healthz");
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const traced = await get("/healthz", { "x-request-id": "trace-1234-abcd" });
    expect(traced.headers.get("x-request-id")).toBe("trace-1234-abcd");
    // Whatever a client sends ends up in the logs, so only a plain token is kept.
    for (const bad of ["short", "has spaces in it", "x".repeat(65), "quote\"and-more"]) {
      const replaced = await get("/healthz", { "x-request-id": bad });
      expect(replaced.headers.get("x-request-id"), bad).not.toBe(bad);
      expect(replaced.headers.get("x-request-id"), bad).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("answers 404 for a page it does not have (this server mounts no Remix app)", async () => {
    expect((await get("/no/such/page")).status).toBe(404);
  });
});

describe("the Origin check on state-changing requests", () => {
  it("refuses a form posted from another site, or with no Origin, and says why", async () => {
    const cases: Record<string, string>[] = [{}, { origin: "https://evil.example" }, { origin: "null" }, { origin: "http://127.0.0.1:1" }];
    for (const headers of cases) {
      const response = await post("/login", headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.text()).toBe("Forbidden: this request did not come from this site (Origin check).");
    }
  });

  it("checks every method that changes something, not only POST", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const response = await fetch(`${t.origin}/profile`, { method, headers: { origin: "https://evil.example" } });
      expect(response.status, method).toBe(403);
    }
  });

  it("lets a post from this site through, by the address it was reached at or its public address", async () => {
    // Past the check, this Remix-less server has no handler: 404, not 403.
    expect((await post("/login", { origin: t.origin })).status).toBe(404);
    expect((await post("/login", { origin: PUBLIC_URL })).status).toBe(404);
  });

  it("trusts no header the client sends: a Host or X-Forwarded-Host naming the attacker's page does not make it ours", async () => {
    const attempts: Record<string, string>[] = [
      { origin: "https://evil.example", host: "evil.example" },
      { origin: "https://evil.example", "x-forwarded-host": "evil.example" },
    ];
    for (const headers of attempts) {
      const response = await raw("POST", "/login", headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
  });

  it("compares scheme and port too, not only the host name", async () => {
    for (const origin of ["https://rapport.test:8080", "http://rapport.test:8081", "http://rapport.test", `${PUBLIC_URL}/`]) {
      expect((await post("/login", { origin })).status, origin).toBe(403);
    }
  });

  it("lets mail providers post one-click unsubscribes without an Origin", async () => {
    expect((await post("/unsubscribe")).status).toBe(404);
  });
});

describe("bad input is refused at the edge with a 4xx and the reason, for every route", () => {
  const ours = () => ({ origin: t.origin, "accept-language": "en" });
  const nulText = "a\u0000b";
  const saysNul = /NUL character \(U\+0000\)/;

  it("a NUL character in any route's path, query or form field (urlencoded or multipart) is a 400 that says so, and the server answers on", async () => {
    const clean = routeUrls("x");
    const withNul = routeUrls("a%00b");
    expect(clean.length).toBeGreaterThan(50);
    for (const [index, route] of clean.entries()) {
      const attempts: [string, () => Promise<Response>][] = [
        [`GET ${route.url}?q=`, () => get(`${route.url}?q=a%00b`, ours())],
        [`POST ${route.url} urlencoded`, () => post(route.url, ours(), "text=a%00b&intent=save")],
        [
          `POST ${route.url} multipart`,
          () => {
            const form = new FormData();
            form.set("bio", nulText);
            return fetch(`${t.origin}${route.url}`, { method: "POST", headers: ours(), body: form });
          },
        ],
      ];
      if (route.dynamic) {
        attempts.push([`GET ${withNul[index]!.url}`, () => get(withNul[index]!.url, ours())]);
        attempts.push([`GET ${withNul[index]!.url}.data`, () => get(`${withNul[index]!.url}.data`, ours())]);
      }
      for (const [what, attempt] of attempts) {
        const response = await attempt();
        expect(response.status, what).toBe(400);
        expect(await response.text(), what).toMatch(saysNul);
      }
    }
    expect((await get("/healthz")).status).toBe(200);
  });

  it("a NUL in a field's name, in a file's name, or written raw rather than percent-encoded is refused too", async () => {
    const named = new FormData();
    named.set(nulText, "value");
    const fileNamed = new FormData();
    fileNamed.set("avatar", new Blob(["GIF89a"], { type: "image/gif" }), "a\u0000.gif");
    for (const body of [named, fileNamed]) {
      expect((await fetch(`${t.origin}/profile`, { method: "POST", headers: ours(), body })).status).toBe(400);
    }
    expect((await post("/profile", ours(), `bio=${nulText}`)).status).toBe(400);
  });

  it("a file whose bytes hold NULs (any picture) passes: only text is checked", async () => {
    const form = new FormData();
    form.set("avatar", new Blob([new Uint8Array([0x47, 0x49, 0x46, 0x00, 0x00, 0x01])], { type: "image/gif" }), "me.gif");
    // Past the edge, this Remix-less server has no handler: 404.
    expect((await fetch(`${t.origin}/profile`, { method: "POST", headers: ours(), body: form })).status).toBe(404);
  });

  it("says so in the visitor's language", async () => {
    const response = await get("/community/t/a%00b", { "accept-language": "vi" });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/ký tự NUL/);
  });

  it("a body that is not a form is a 415 that names what is accepted", async () => {
    for (const [type, body] of [["application/json", '{"bio":"x"}'], ["text/plain", "bio=x"], ["(none)", new Blob(["bio=x"])]] as const) {
      const headers = typeof body === "string" ? { ...ours(), "content-type": type } : ours();
      const response = await fetch(`${t.origin}/profile`, { method: "POST", headers, body });
      expect(response.status, type).toBe(415);
      expect(await response.text(), type).toMatch(/forms only/);
    }
    // No body at all (a bare log-out button) needs no type.
    expect((await post("/logout", ours(), "")).status).toBe(404);
  });

  it("a multipart Content-Type over a urlencoded body (or any body that does not parse as its type says) is a 400 that says so", async () => {
    for (const contentType of ["multipart/form-data; boundary=----x", "multipart/form-data"]) {
      const response = await post("/profile", { ...ours(), "content-type": contentType }, "bio=hello&intent=profile");
      expect(response.status, contentType).toBe(400);
      expect(await response.text(), contentType).toMatch(/does not match its Content-Type/);
    }
  });

  it("a body over the limit is a 413 with the limit, whether it announces its length or not", async () => {
    const big = "bio=" + "x".repeat(FORM_BODY_MAX_BYTES);
    const announced = await post("/profile", ours(), big);
    expect(announced.status).toBe(413);
    expect(await announced.text()).toMatch(/at most 1 MB/);
    const streamed = await fetch(`${t.origin}/profile`, {
      method: "POST",
      headers: { ...ours(), "content-type": "application/x-www-form-urlencoded" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await get("/healthz")).status).toBe(200);
  });
});

describe("what reaches Remix", () => {
  let remix: TestServer;
  beforeAll(async () => {
    remix = await startTestServer({ TRUST_PROXY: "true" }, { remix: { mode: "build", build: echoBuild, clientDir: "build/client" } });
  });
  afterAll(async () => {
    await remix?.dispose();
  });

  it("a post from this site reached under another loopback name (Origin localhost, Host 127.0.0.1) is answered, not a 500", async () => {
    const port = remix.server.port;
    const response = await fetch(`${remix.origin}/?index`, {
      method: "POST",
      headers: { origin: `http://localhost:${port}`, "content-type": "application/x-www-form-urlencoded" },
      body: "name=Lan",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: "Lan" });
  });

  it("the form the edge has read and checked reaches the route whole: fields and files", async () => {
    const form = new FormData();
    form.set("name", "Lan Nguyễn");
    form.set("avatar", new Blob([new Uint8Array(300_000)], { type: "image/png" }), "lan.png");
    const response = await fetch(`${remix.origin}/?index`, { method: "POST", headers: { origin: remix.origin }, body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: "Lan Nguyễn", avatar: "lan.png, 300000 bytes" });
  });

  it("a multipart Content-Type over a urlencoded body never reaches the route (whose form parser threw: a 500)", async () => {
    const response = await fetch(`${remix.origin}/?index`, {
      method: "POST",
      headers: { origin: remix.origin, "content-type": "multipart/form-data; boundary=----x" },
      body: "name=Lan",
    });
    expect(response.status).toBe(400);
  });

  it("behind a proxy no connection counts as this machine's (it gates /dev/mail): a proxy on the same host makes every peer loopback", async () => {
    // This server trusts a proxy (TRUST_PROXY): its peer is loopback, the visitor is not.
    const forwarded = await fetch(`${remix.origin}/`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(await forwarded.json()).toEqual({ ip: "203.0.113.9", fromLoopback: false });
    const direct = await fetch(`${remix.origin}/`);
    expect(await direct.json()).toMatchObject({ fromLoopback: false });

    // Without a proxy: a direct connection from this machine counts, one with forwarding headers does not.
    const bare = await startTestServer({}, { remix: { mode: "build", build: echoBuild, clientDir: "build/client" } });
    try {
      expect(await (await fetch(`${bare.origin}/`)).json()).toMatchObject({ fromLoopback: true });
      expect(await (await fetch(`${bare.origin}/`, { headers: { forwarded: "for=203.0.113.9" } })).json()).toMatchObject({ fromLoopback: false });
    } finally {
      await bare.dispose();
    }
  });

  it("a foreign page cannot make us read a large body (refused on its Origin first), and only pages with a file field take one over 1 MB", async () => {
    const big = (megabytes: number) => {
      const form = new FormData();
      form.append("image", new Blob([new Uint8Array(megabytes * 1024 * 1024)], { type: "image/png" }), "big.png");
      return form;
    };
    // Larger than any upload we take: were it looked at before the Origin, it would be a 413.
    const foreign = await fetch(`${remix.origin}/?index`, { method: "POST", headers: { origin: "https://evil.example" }, body: big(17) });
    expect(foreign.status).toBe(403);
    const ours = await fetch(`${remix.origin}/?index`, { method: "POST", headers: { origin: remix.origin }, body: big(2) });
    expect(ours.status).toBe(413);
  });

  it("a post whose Origin is not ours is a clean 403 with the reason, whatever its Host says", async () => {
    const response = await fetch(`${remix.origin}/?index`, {
      method: "POST",
      headers: { origin: "http://localhost:1", "content-type": "application/x-www-form-urlencoded" },
      body: "name=Lan",
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/Origin check/);
  });
});

// Runs last: it stops this file's server.
describe("stopping", () => {
  it("finishes the request in flight, refuses new connections, then closes the database", async () => {
    const { server } = t;
    // Keep the database busy (PGlite runs one transaction at a time; PostgreSQL
    // has TEST_POOL_SIZE connections), so the health check waits mid-request.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holders = server.services.database.kind === "pglite" ? 1 : TEST_POOL_SIZE;
    let held = 0;
    let allHeld!: () => void;
    const busy = new Promise<void>((resolve) => (allHeld = resolve));
    const holding = Promise.all(
      Array.from({ length: holders }, () =>
        server.services.db.$transaction(
          async (tx) => {
            await tx.$queryRaw`SELECT 1`;
            if (++held === holders) allHeld();
            await released;
          },
          { timeout: 20_000, maxWait: 10_000 },
        ),
      ),
    );
    await busy;

    const arrived = new Promise((resolve) => server.http.once("request", resolve));
    const inFlight = get("/healthz");
    await arrived;

    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    await expect(fetch(`${t.origin}/healthz`)).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false);

    release();
    await holding;
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    // The answer closes its keep-alive connection, so the drain ends now rather
    // than when the client's idle timeout (seconds) would.
    expect(response.headers.get("connection")).toBe("close");
    const answeredAt = Date.now();
    await stopping;
    expect(Date.now() - answeredAt).toBeLessThan(2_500);

    if (t.testDb.name) {
      // PostgreSQL: no connection of ours is left open.
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [t.testDb.name]);
      await admin.end();
      expect(rows[0].n).toBe(0);
    } else {
      await expect(server.services.db.user.count()).rejects.toThrow();
    }
  });
});

describe("request log", () => {
  it("records method, path and status, but never a session cookie, an Authorization header or a link's token", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const logged = await startTestServer({}, { logger });
    try {
      await fetch(`${logged.origin}/reset-password?token=RESET-SECRET-123&lang=vi`, {
        headers: { cookie: "auth_session=SESSION-SECRET-456", authorization: "Bearer API-SECRET-789" },
      });
      await new Promise((resolve) => setTimeout(resolve, 50)); // the line is written when the response finishes
      const line = lines.find((l) => l.includes("/reset-password"));
      expect(line).toBeDefined();
      const entry = JSON.parse(line!) as { req: { method: string; url: string }; res: { statusCode: number } };
      expect(entry.req).toMatchObject({ method: "GET", url: "/reset-password?token=…&lang=…" });
      expect(entry.res.statusCode).toBeGreaterThanOrEqual(200);
      const all = lines.join("\n");
      for (const secret of ["RESET-SECRET-123", "SESSION-SECRET-456", "API-SECRET-789"]) expect(all).not.toContain(secret);
    } finally {
      await logged.dispose();
    }
  });
});
