/**
 * `POST /api/offers/redeem`, the shop's door (README "Offers: the shop's endpoint"). Mounted
 * before the Origin check and the form-only input guard: a shop is not a browser, its API key and
 * signature are the authorization, and it speaks JSON. Every answer is JSON; nothing here is a 500
 * (a failure of the database is a 503 the shop may retry).
 */
import type express from "express";
import type { Services } from "../app/modules/services.server.ts";
import { readBody } from "./input-guard.ts";
import { handleShopRedeem, SHOP_BODY_MAX_BYTES, type ShopKey } from "../app/modules/offers/shop-api.server.ts";

export const SHOP_REDEEM_PATH = "/api/offers/redeem";

export function shopRedeemHandler(services: Services, keys: ShopKey[]): express.RequestHandler {
  return async (req, res) => {
    const send = (status: number, body: Record<string, unknown>) => {
      if (!res.headersSent) res.status(status).set("Cache-Control", "no-store").json(body);
    };
    try {
      if (!keys.length) return send(404, { ok: false, error: "disabled" });
      const type = req.headers["content-type"]?.split(";", 1)[0]?.trim().toLowerCase();
      if (type !== "application/json") return send(415, { ok: false, error: "contentType" });
      if (Number(req.headers["content-length"] ?? 0) > SHOP_BODY_MAX_BYTES) {
        res.set("Connection", "close");
        return send(413, { ok: false, error: "tooLarge" });
      }
      const raw = await readBody(req, SHOP_BODY_MAX_BYTES);
      if (!raw) {
        res.set("Connection", "close");
        return send(413, { ok: false, error: "tooLarge" });
      }
      const body = raw.toString("utf8");
      if (body.includes("\u0000")) return send(400, { ok: false, error: "nul" });
      const answer = await handleShopRedeem(services, keys, {
        authorization: req.get("authorization"),
        timestamp: req.get("x-rapport-timestamp"),
        signature: req.get("x-rapport-signature"),
        body,
      });
      send(answer.status, answer.body);
    } catch (error) {
      req.log?.error({ err: error }, "shop redemption failed");
      res.set("Retry-After", "5");
      send(503, { ok: false, error: "unavailable" });
    }
  };
}
