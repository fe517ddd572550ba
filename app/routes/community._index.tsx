import { ComingSoon } from "~/components/coming-soon";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export default function Page() {
  return <ComingSoon area="nav.community" />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
