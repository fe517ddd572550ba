import { isRouteErrorResponse, Link, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";
import { useT } from "~/utils/i18n";

/** A page that helps: what happened, what to do, and a reference to quote. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const data = useRouteLoaderData<typeof rootLoader>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = status === 403 ? "403" : status === 404 ? "404" : status >= 500 ? "500" : "400";
  if (status >= 500 && typeof document !== "undefined") console.error(error);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__status">{status}</p>
      <h1 id="error-title">{t(`error.${kind}.title`)}</h1>
      {kind === "400" ? (
        <p>{isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : t("error.500.body")}</p>
      ) : (
        <p>{t(`error.${kind}.body`)}</p>
      )}
      <p>
        <Link to="/">{t("error.goHome")}</Link>
      </p>
      {data?.requestId ? <p className="muted">{t("error.requestId", { id: data.requestId })}</p> : null}
    </section>
  );
}
