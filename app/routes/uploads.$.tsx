/** Serves stored uploads (avatars). Keys are random, so they cache forever. */
import type { LoaderFunctionArgs } from "@remix-run/node";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const file = await context.services.storage.get(params["*"] ?? "");
  if (!file) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": file.contentType,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'",
    },
  });
}
