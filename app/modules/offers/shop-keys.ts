/** OFFERS_API_KEYS, read by the configuration (no imports: the config loads before anything). */
export interface ShopKey {
  name: string;
  apiKey: string;
  secret: string;
}

/** OFFERS_API_KEYS parsed; a malformed entry is an error naming its position (never its secret). */
export function parseShopKeys(raw: string | undefined): ShopKey[] {
  if (!raw?.trim()) return [];
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const [name, apiKey, secret, ...rest] = entry.split(":");
      if (!name || !/^[a-z0-9_-]{1,40}$/i.test(name) || !apiKey || apiKey.length < 24 || !secret || secret.length < 24 || rest.length)
        throw new Error(`entry ${i + 1} must be name:apiKey:signingSecret, with a key and a secret of at least 24 characters each`);
      return { name, apiKey, secret };
    });
}

