/**
 * The shop's redemption endpoint, `POST /api/offers/redeem` (README "Offers: the shop's
 * endpoint"), minus HTTP: which key a request names, whether its signature and timestamp hold,
 * and what the redemption answers as a status and JSON. The Express adapter (server/offers-api.ts)
 * reads the body within its limit and hands the pieces here.
 *
 * Keys come from OFFERS_API_KEYS: `name:apiKey:signingSecret`, comma-separated. The API key is sent
 * as `Authorization: Bearer <apiKey>`; the signature is HMAC-SHA256 with the signing secret over
 * `<timestamp>.<raw body>`, hex, in `X-Rapport-Signature: sha256=<hex>`, with the Unix time in
 * seconds in `X-Rapport-Timestamp`. A timestamp more than five minutes away from ours is refused,
 * so a captured request cannot be replayed later (and within the window a redemption is once).
 */
import { createHmac } from "node:crypto";
import type { Services } from "../services.server";
import { safeEqual } from "../tokens.server";
import { redeemFromShop, shopCredential } from "./offers.server";
import type { ShopKey } from "./shop-keys";

export { parseShopKeys, type ShopKey } from "./shop-keys";

export const SHOP_BODY_MAX_BYTES = 4096;
export const SHOP_CLOCK_SKEW_MS = 5 * 60_000;

export function signShopBody(secret: string, timestamp: string, body: string) {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export interface ShopAnswer {
  status: number;
  body: Record<string, unknown>;
}
const answer = (status: number, error: string): ShopAnswer => ({ status, body: { ok: false, error } });

/** The key a request names, its signature and its freshness; null when they all hold. */
export function checkShopRequest(keys: ShopKey[], request: { authorization?: string; timestamp?: string; signature?: string; body: string }, now: Date): { key: ShopKey } | ShopAnswer {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? "")?.[1] ?? "";
  // Every key is compared, in constant time each, so the answer's timing does not tell which matched.
  let key: ShopKey | null = null;
  for (const candidate of keys) if (safeEqual(candidate.apiKey, bearer) && !key) key = candidate;
  if (!key) return answer(401, "badKey");
  const timestamp = request.timestamp ?? "";
  if (!/^\d{1,12}$/.test(timestamp)) return answer(401, "badTimestamp");
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > SHOP_CLOCK_SKEW_MS) return answer(401, "stale");
  if (!safeEqual(signShopBody(key.secret, timestamp, request.body), (request.signature ?? "").trim().toLowerCase())) return answer(401, "badSignature");
  return { key };
}

/** The JSON body: `{ "code": "…" }`, nothing else required. */
export function parseShopBody(body: string): { code: string } | ShopAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return answer(400, "badJson");
  }
  const code = (parsed as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.trim() || code.length > 200) return answer(400, "badCode");
  // PostgreSQL text cannot hold a NUL ("\u0000" in JSON arrives as one).
  if (code.includes("\u0000")) return answer(400, "nul");
  return { code };
}

const STATUS: Record<string, ShopAnswer> = {
  notFound: answer(404, "unknownCode"),
  used: answer(409, "alreadyRedeemed"),
  closed: answer(409, "notValidNow"),
};

/** The whole exchange after the body was read: key, signature, body, redemption. */
export async function handleShopRedeem(services: Services, keys: ShopKey[], request: { authorization?: string; timestamp?: string; signature?: string; body: string }): Promise<ShopAnswer> {
  const checked = checkShopRequest(keys, request, services.clock.now());
  if ("status" in checked) return checked;
  const body = parseShopBody(request.body);
  if ("status" in body) return body;
  const ran = await redeemFromShop(services, null, { code: body.code, credential: shopCredential(checked.key.name) });
  if (ran.ok) return { status: 200, body: { ok: true, grantId: ran.grantId, offerId: ran.offerId, memberId: ran.memberId, redeemedAt: ran.redeemedAt } };
  return STATUS[ran.error] ?? answer(400, ran.error);
}
