import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SegmentForm, segmentEditorShouldRevalidate } from "~/components/segment-editor";
import { tagsInUse } from "~/modules/console/members.server";
import { createSegment, segmentEditorOptions } from "~/modules/segments/segments.server";
import { requirePermission } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "New segment · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const [options, tags] = await Promise.all([segmentEditorOptions(context.services, { id: user.id, role: user.role }, null), tagsInUse(context.services)]);
  return { options: { ...options, tags } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const form = await request.formData();
  const values = { name: String(form.get("name") ?? ""), description: String(form.get("description") ?? "") };
  const result = await createSegment(context.services, { id: user.id, role: user.role }, { ...values, definition: form.get("definition") ?? "" });
  if (result.ok) throw redirect(`/staff/segments?saved=${result.id}`);
  return refuse(result, context.locale, { values });
}

export const shouldRevalidate = segmentEditorShouldRevalidate;

export default function NewSegment() {
  const { options } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>();
  return <SegmentForm segment={null} options={options} refusal={refusal} canChange />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
