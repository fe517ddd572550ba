/** Serves stored uploads (avatars, product pictures). Keys are random, so they cache forever. */
import type { LoaderFunctionArgs } from "@remix-run/node";

const IMAGE_KEY = /^[a-z0-9/_-]+\.(png|jpe?g|webp)$/i;

/**
 * What an erased image shows where a post still points at it (a deleted
 * member's photo, ADR 013): a neutral picture crossed out, not a broken
 * image. Still a 404, so nothing takes it for the file.
 */
const REMOVED_IMAGE = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120" viewBox="0 0 160 120">
<rect width="160" height="120" rx="8" fill="#dfe5e3"/>
<g fill="none" stroke="#5f6b67" stroke-width="4" stroke-linecap="round" stroke-linejoin="round">
<rect x="50" y="35" width="60" height="50" rx="4"/><path d="M56 78l16-18 12 12 8-8 12 14"/><circle cx="95" cy="50" r="5"/><path d="M40 100L120 20"/>
</g></svg>`;

export async function loader({ params, context }: LoaderFunctionArgs) {
  const key = params["*"] ?? "";
  const file = await context.services.storage.get(key);
  if (!file) {
    if (!IMAGE_KEY.test(key)) throw new Response("Not found", { status: 404 });
    return new Response(REMOVED_IMAGE, {
      status: 404,
      headers: { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'" },
    });
  }
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": file.contentType,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'",
    },
  });
}
