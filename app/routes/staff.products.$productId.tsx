import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FieldErrors } from "~/components/field";
import { ProductForm } from "~/components/product-form";
import { can } from "~/modules/policy/can";
import { fail, type Failure, type Reason } from "~/modules/commands/failure";
import { listProductCategories, PRODUCT_IMAGE_MAX_BYTES, saveProduct, uploadProductImage } from "~/modules/products/catalogue.server";
import { listOwners, recordOwners, removeOwner, type OwnershipReport } from "~/modules/products/ownership.server";
import { BULK_OWNERS_MAX } from "~/modules/products/product-schemas";
import { uploadUrl } from "~/modules/storage/images.server";
import { requirePermission } from "~/utils/auth.server";
import { isMultipart, readUploadForm } from "~/utils/uploads.server";
import { refuse } from "~/utils/refusal.server";
import { localized } from "~/utils/forum";
import { useDates, useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";
import { translateError } from "~/i18n/translate";
import { FormError } from "~/components/form-error";
import { z } from "zod";

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
    canManage: can(actor, "product.manage"),
    canRecord: can(actor, "product.recordOwners"),
    seesAllOwners: can(actor, "product.ownersOfAnyone"),
  };
}

type ActionResult = {
  form: "product" | "image" | "owners";
  fieldErrors: Record<string, string[] | undefined>;
  values: Record<string, string>;
  message: MessageKey | null;
  report: OwnershipReport | null;
  /** A refusal's message in the reader's language (see refuse()). */
  formError?: string | null;
};

const reply = (result: Partial<ActionResult> & Pick<ActionResult, "form">, status = 200) =>
  data<ActionResult>({ fieldErrors: {}, values: {}, message: null, report: null, ...result }, { status });

/** This page's words for a refused picture, shown beside the file field. */
const IMAGE_WORDS: Partial<Record<Reason, MessageKey>> = {
  tooLarge: "products.admin.imageTooLarge",
  missing: "products.admin.imageMissing",
  wrongType: "products.admin.imageWrongType",
  storageUnavailable: "upload.storageUnavailable",
};

/** The page's forms (the picture comes as a multipart upload): parsed once, each runs one command. */
const Intent = z.enum(["save-product", "remove-owner", "record-owners"]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const actor = { id: user.id, role: user.role };
  const productId = params.productId ?? "";
  const { services, locale } = context;
  const refused = (failure: Failure, form: ActionResult["form"], values: Record<string, string> = {}, messages?: string) =>
    refuse(failure, locale, { form, values, message: null, report: null }, { messages });
  if (isMultipart(request)) {
    const upload = await readUploadForm(request, "image", PRODUCT_IMAGE_MAX_BYTES);
    const ran = upload === "tooLarge" ? fail.because("tooLarge") : await uploadProductImage(services, actor, { productId, file: upload.file });
    if (ran.ok) return reply({ form: "image", message: "products.admin.imageSaved" });
    const word = IMAGE_WORDS[ran.error];
    return refused(word ? { ...ran, fieldErrors: { image: [word] } } : ran, "image");
  }
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const intent = Intent.safeParse(form.intent);
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  if (intent.data === "save-product") {
    const ran = await saveProduct(services, actor, { ...form, id: productId });
    return ran.ok ? reply({ form: "product", message: "products.admin.saved" }) : refused(ran, "product", form);
  }
  if (intent.data === "remove-owner") {
    const ran = await removeOwner(services, actor, { productId, memberId: form.memberId });
    if (!ran.ok) return refused(ran, "owners");
    throw redirect(`/staff/products/${productId}`);
  }
  const ran = await recordOwners(services, actor, { ...form, productId });
  return ran.ok ? reply({ form: "owners", report: ran.report }) : refused(ran, "owners", form, "products.owners");
}

export default function ProductAdmin() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { product, categories, owners, canManage, canRecord, seesAllOwners } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const name = localized(product, locale).name;
  // A refused list is told beside the field, whether the command named the field or not.
  const ownersError =
    actionData?.form === "owners" && (actionData.fieldErrors.members || actionData.formError)
      ? [...(actionData.fieldErrors.members ?? []), ...(actionData.formError ? [actionData.formError] : [])]
      : undefined;
  const otherError = actionData?.form !== "owners" && !Object.keys(actionData?.fieldErrors ?? {}).length ? actionData?.formError : null;
  const imageError = actionData?.form === "image" ? actionData.fieldErrors.image : undefined;
  return (
    <div className="stack">
      <p>
        <Link to="/staff/products">← {t("products.admin.title")}</Link>
      </p>
      <h1>{name}</h1>
      <FormError message={otherError} />
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
                      <li key={e}>{translateError(t, e)}</li>
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
