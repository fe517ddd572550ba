import type { LoaderFunctionArgs } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/utils/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  return null;
}

export default function Page() {
  return <ComingSoon area="nav.chat" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
