/**
 * The shop's endpoint over real HTTP: each status it promises (200, 400, 401, 404, 409, 413, 415),
 * a replayed or re-signed request refused, and never a 500.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { serverForThisFile } from "../../support/server.ts";
import { createMember, createStaff, type Person } from "../../factories/actors.ts";
import { addConsent } from "../../factories/relationship.ts";
import { offerFields } from "../../factories/offers.ts";
import { createOffer, issueOffer } from "../../../app/modules/offers/offers.server.ts";
import { signShopBody } from "../../../app/modules/offers/shop-api.server.ts";
import { parseShopKeys } from "../../../app/modules/offers/shop-keys.ts";

const API_KEY = "k".repeat(32);
const SECRET = "s".repeat(32);
const file = serverForThisFile({ OFFERS_API_KEYS: `phin-shop:${API_KEY}:${SECRET}, other:${"o".repeat(30)}:${"p".repeat(30)}` });
const services = () => file.t.server.services;

let member: Person;
let codes: string[];

beforeAll(async () => {
  const s = services();
  const manager = await createStaff(s.db);
  member = await createMember(s.db, { accountManagerId: manager.id });
  const second = await createMember(s.db, { accountManagerId: manager.id });
  for (const m of [member, second]) await addConsent(s.db, { memberId: m.id, channel: "offers", granted: true, source: "profile", at: new Date() });
  const offer = await createOffer(s, manager.actor, offerFields({ codeMode: "unique", sharedCode: "" }));
  if (!offer.ok) throw new Error("offer");
  await issueOffer(s, manager.actor, { offerId: offer.id, memberIds: [member.id, second.id] });
  codes = (await s.db.offerGrant.findMany({ where: { offerId: offer.id }, orderBy: { memberId: "asc" }, select: { code: true, memberId: true } }))
    .sort((a) => (a.memberId === member.id ? -1 : 1))
    .map((g) => g.code!);
});

const now = () => String(Math.floor(Date.now() / 1000));

function post(body: string, options: { key?: string; secret?: string; timestamp?: string; type?: string; signature?: string; headers?: Record<string, string> } = {}) {
  const timestamp = options.timestamp ?? now();
  return fetch(`${file.t.origin}/api/offers/redeem`, {
    method: "POST",
    headers: {
      "content-type": options.type ?? "application/json",
      authorization: `Bearer ${options.key ?? API_KEY}`,
      "x-rapport-timestamp": timestamp,
      "x-rapport-signature": options.signature ?? signShopBody(options.secret ?? SECRET, timestamp, body),
      ...options.headers,
    },
    body,
  });
}

async function status(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /api/offers/redeem", () => {
  it("redeems a member's code once: 200 with the ids, then 409", async () => {
    const body = JSON.stringify({ code: codes[0] });
    const first = await status(await post(body));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, memberId: member.id });
    const grant = await services().db.offerGrant.findFirst({ where: { code: codes[0] } });
    expect(grant).toMatchObject({ redeemedSource: "shop:phin-shop", redeemedById: null });
    expect(first.body.offerId).toBe(grant!.offerId);
    expect(await services().db.touchpoint.count({ where: { memberId: member.id, kind: "offer.redeemed" } })).toBe(1);
    expect(await status(await post(body))).toEqual({ status: 409, body: { ok: false, error: "alreadyRedeemed" } });
  });

  it("answers 404 for a code nobody holds", async () => {
    expect(await status(await post(JSON.stringify({ code: "NOPE-NOPE-NOPE" })))).toEqual({ status: 404, body: { ok: false, error: "unknownCode" } });
  });

  it("answers 401 for a wrong key, a wrong signature, a body changed after signing, and a replay older than five minutes", async () => {
    const body = JSON.stringify({ code: codes[1] });
    expect((await status(await post(body, { key: "x".repeat(32) }))).status).toBe(401);
    expect(await status(await post(body, { secret: "t".repeat(32) }))).toEqual({ status: 401, body: { ok: false, error: "badSignature" } });
    const timestamp = now();
    const signed = signShopBody(SECRET, timestamp, JSON.stringify({ code: "OTHER" }));
    expect((await status(await post(body, { timestamp, signature: signed }))).status).toBe(401);
    const old = String(Math.floor(Date.now() / 1000) - 6 * 60);
    expect(await status(await post(body, { timestamp: old }))).toEqual({ status: 401, body: { ok: false, error: "stale" } });
    expect((await status(await post(body, { timestamp: "yesterday" }))).status).toBe(401);
    expect((await status(await post(body, { headers: { authorization: "" } }))).status).toBe(401);
    // The other shop's key, signed with its own secret, works (and names that shop).
    const other = await status(await post(body, { key: "o".repeat(30), secret: "p".repeat(30) }));
    expect(other.status).toBe(200);
    expect((await services().db.offerGrant.findFirst({ where: { code: codes[1] } }))!.redeemedSource).toBe("shop:other");
  });

  it("answers 415 for another content type, 413 for an oversized body and 400 for bad JSON or NUL bytes, never a 500", async () => {
    expect((await status(await post("code=ABC", { type: "application/x-www-form-urlencoded" }))).status).toBe(415);
    expect((await status(await post(JSON.stringify({ code: "x" }), { type: "text/plain" }))).status).toBe(415);
    expect((await status(await post(JSON.stringify({ code: "A".repeat(10_000) })))).status).toBe(413);
    expect(await status(await post("{not json"))).toEqual({ status: 400, body: { ok: false, error: "badJson" } });
    expect((await status(await post(JSON.stringify({ code: 42 })))).status).toBe(400);
    expect(await status(await post(JSON.stringify({ code: "AB\u0000CD" })))).toEqual({ status: 400, body: { ok: false, error: "nul" } });
    expect(await status(await post('{"code":"AB\u0000CD"}'))).toEqual({ status: 400, body: { ok: false, error: "nul" } });
    expect((await status(await post(JSON.stringify({ code: "x".repeat(300) })))).status).toBe(400);
    // A GET is not the endpoint: no 500 either.
    const get = await fetch(`${file.t.origin}/api/offers/redeem`);
    expect(get.status).toBeLessThan(500);
  });
});

describe("OFFERS_API_KEYS", () => {
  it("reads name:apiKey:secret entries and refuses short or malformed ones without echoing them", () => {
    expect(parseShopKeys(` a:${"k".repeat(24)}:${"s".repeat(24)} ,`)).toEqual([{ name: "a", apiKey: "k".repeat(24), secret: "s".repeat(24) }]);
    expect(parseShopKeys(undefined)).toEqual([]);
    expect(() => parseShopKeys("a:short:secret")).toThrow(/entry 1/);
    expect(() => parseShopKeys(`a:${"k".repeat(24)}`)).toThrow(/entry 1/);
  });
});
