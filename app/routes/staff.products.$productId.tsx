import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldErrors } from "~/components/field";
import { ProductForm } from "~/components/product-form";
import { hasPermission } from "~/modules/policy/permissions";
import { listProductCategories, PRODUCT_IMAGE_MAX_BYTES, saveProduct, uploadProductImage } from "~/modules/products/catalogue.server";
import { listOwners, recordOwners, removeOwner, type OwnershipReport } from "~/modules/products/ownership.server";
import { BULK_OWNERS_MAX } from "~/modules/products/product-schemas";
import { uploadUrl } from "~/modules/storage/images.server";
import { requirePermission } from "~/utils/auth.server";
import { isMultipart, readUploadForm, refusedImage } from "~/utils/uploads.server";
import { localized } from "~/utils/forum";
import { useDates, useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { translateError } from "~/i18n/translate";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const actor = { id: user.id, role: user.role };
  const product = await context.services.db.product.findUnique({
    where: { id: params.productId ?? "" },
    select: { id: true, slug: true, nameVi: true, nameEn: true, descriptionVi: true, descriptionEn: true, categoryId: true, status: true, imageKey: true },
  });
  if (!product) throw new Response("Not found", { status: 404 });
  const [categories, owners] = await Promise.all([listProductCategories(context.services.db), listOwners(context.services.db, actor, product.id)]);
  return {
    product: { ...product, image: uploadUrl(product.imageKey) },
    categories,
    owners,
    canManage: hasPermission(user, "product:manage:any"),
    canRecord: hasPermission(user, "product:ownership:assigned"),
    seesAllOwners: hasPermission(user, "product:ownership:any"),
  };
}

type ActionResult = {
  form: "product" | "image" | "owners";
  fieldErrors: Record<string, string[] | undefined>;
  values: Record<string, string>;
  message: MessageKey | null;
  report: OwnershipReport | null;
};

const reply = (result: Partial<ActionResult> & Pick<ActionResult, "form">, status = 200) =>
  data<ActionResult>({ fieldErrors: {}, values: {}, message: null, report: null, ...result }, { status });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const actor = { id: user.id, role: user.role };
  const productId = params.productId ?? "";
  if (isMultipart(request)) {
    const upload = await readUploadForm(request, "image", PRODUCT_IMAGE_MAX_BYTES);
    const result = upload === "tooLarge" ? ({ ok: false, error: "tooLarge" } as const) : await uploadProductImage(context.services, actor, productId, upload.file);
    if (result.ok) return reply({ form: "image", message: "products.admin.imageSaved" });
    if (result.error === "notAllowed") throw new Response("Forbidden", { status: 403 });
    if (result.error === "notFound") throw new Response("Not found", { status: 404 });
    const { message, status } = refusedImage(result.error, {
      tooLarge: "products.admin.imageTooLarge",
      missing: "products.admin.imageMissing",
      wrongType: "products.admin.imageWrongType",
    });
    return reply({ form: "image", fieldErrors: { image: [message] } }, status);
  }
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  if (form.intent === "save-product") {
    const result = await saveProduct(context.services, actor, { ...form, id: productId });
    if (result.ok) return reply({ form: "product", message: "products.admin.saved" });
    if (result.error === "notAllowed") throw new Response("Forbidden", { status: 403 });
    return reply({ form: "product", fieldErrors: result.fieldErrors, values: form }, 400);
  }
  if (form.intent === "remove-owner") {
    const result = await removeOwner(context.services, actor, productId, form.memberId ?? "");
    if (!result.ok) throw new Response(result.error, { status: result.error === "notAllowed" ? 403 : 404 });
    throw redirect(`/staff/products/${productId}`);
  }
  const result = await recordOwners(context.services, actor, productId, form.members ?? "");
  if (result.ok) return reply({ form: "owners", report: result.report });
  if (result.error === "notAllowed") throw new Response("Forbidden", { status: 403 });
  if (result.error === "notFound") throw new Response("Not found", { status: 404 });
  const message: MessageKey = result.error === "tooMany" ? "products.owners.tooMany" : "products.owners.empty";
  return reply({ form: "owners", fieldErrors: { members: [message] }, values: form }, 400);
}

export default function ProductAdmin() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { product, categories, owners, canManage, canRecord, seesAllOwners } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const name = localized(product, locale).name;
  const ownersError = actionData?.form === "owners" ? actionData.fieldErrors.members : undefined;
  const imageError = actionData?.form === "image" ? actionData.fieldErrors.image : undefined;
  return (
    <div className="stack">
      <p>
        <Link to="/staff/products">← {t("products.admin.title")}</Link>
      </p>
      <h1>{name}</h1>
      <p>
        <Link to={`/products/${product.slug}`}>{t("products.admin.viewPublic")}</Link>
      </p>
      {searchParams.get("created") ? (
        <p role="status" className="notice notice--success">
          {t("products.admin.created")}
        </p>
      ) : null}
      {canManage ? (
        <>
          <section className="card stack" aria-labelledby="product-details">
            <h2 id="product-details">{t("products.admin.details")}</h2>
            {actionData?.form === "product" && actionData.message ? (
              <p role="status" className="notice notice--success">
                {t(actionData.message)}
              </p>
            ) : null}
            <ProductForm
              product={product}
              categories={categories}
              errors={actionData?.form === "product" ? actionData.fieldErrors : undefined}
              values={actionData?.form === "product" && Object.keys(actionData.fieldErrors).length ? actionData.values : undefined}
            />
          </section>
          <section className="card stack" aria-labelledby="product-image">
            <h2 id="product-image">{t("products.admin.image")}</h2>
            {product.image ? <img src={product.image} alt={t("products.imageOf", { name })} className="product-admin__image" /> : <p className="muted">{t("products.admin.noImage")}</p>}
            <Form method="post" encType="multipart/form-data" className="inline-upload">
              <div className="field">
                <label htmlFor="product-image-file">{t("products.admin.chooseImage")}</label>
                <input
                  id="product-image-file"
                  type="file"
                  name="image"
                  accept="image/png,image/jpeg,image/webp"
                  aria-describedby={`product-image-hint${imageError ? " product-image-error" : ""}`}
                  aria-invalid={imageError ? true : undefined}
                />
                <p id="product-image-hint" className="field__hint">
                  {t("products.admin.imageHint")}
                </p>
                <FieldErrors id="product-image-error" errors={imageError} translate={(e) => translateError(t, e)} />
              </div>
              <button type="submit" className="button button--primary">
                {t("products.admin.uploadImage")}
              </button>
            </Form>
            {actionData?.form === "image" && actionData.message ? (
              <p role="status" className="notice notice--success">
                {t(actionData.message)}
              </p>
            ) : null}
          </section>
        </>
      ) : null}
      <section className="card stack" aria-labelledby="product-owners">
        <h2 id="product-owners">{t("products.owners.title")}</h2>
        <p className="muted">{seesAllOwners ? t("products.owners.introAdmin") : t("products.owners.introStaff")}</p>
        {actionData?.form === "owners" && actionData.report ? renderReport(actionData.report) : null}
        {canRecord ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="record-owners" />
            <div className="field">
              <label htmlFor="owners-members">{t("products.owners.members")}</label>
              <textarea
                id="owners-members"
                name="members"
                rows={4}
                defaultValue={actionData?.form === "owners" && ownersError ? actionData.values.members : ""}
                aria-describedby={`owners-members-hint${ownersError ? " owners-members-error" : ""}`}
                aria-invalid={ownersError ? true : undefined}
              />
              <p id="owners-members-hint" className="field__hint">
                {t("products.owners.membersHint", { max: BULK_OWNERS_MAX })}
              </p>
              {ownersError ? (
                <div id="owners-members-error" className="field__errors" role="alert">
                  <ul>
                    {ownersError.map((e) => (
                      <li key={e}>{t(e as MessageKey)}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </div>
            <button type="submit" className="button button--primary">
              {t("products.owners.record")}
            </button>
          </Form>
        ) : null}
        {owners.length === 0 ? (
          <p>{t("products.owners.none")}</p>
        ) : (
          <ul className="owner-list">
            {owners.map((o) => (
              <li key={o.id}>
                <Link to={`/staff/members/${o.id}`}>{o.displayName}</Link> <span className="muted small">{o.email}</span>{" "}
                <span className="muted small">{t("products.owners.since", { date: dates.date(o.recordedAt) })}</span>
                {canRecord ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="remove-owner" />
                    <input type="hidden" name="memberId" value={o.id} />
                    <button type="submit" className="button button--ghost" aria-label={t("products.owners.removeNamed", { name: o.displayName })}>
                      {t("products.owners.remove")}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );

  function renderReport(report: OwnershipReport) {
    const rows: [MessageKey, string[]][] = [
      ["products.owners.recorded", report.recorded],
      ["products.owners.already", report.already],
      ["products.owners.unknown", report.unknown],
      ["products.owners.notYours", report.notYours],
    ];
    return (
      <div role="status" className="notice">
        <ul>
          {rows
            .filter(([, names]) => names.length)
            .map(([label, names]) => (
              <li key={label}>
                {t(label, { count: names.length })}: {names.join(", ")}
              </li>
            ))}
        </ul>
      </div>
    );
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
