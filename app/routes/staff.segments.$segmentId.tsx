import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SegmentForm, segmentEditorShouldRevalidate } from "~/components/segment-editor";
import { tagsInUse } from "~/modules/console/members.server";
import { can } from "~/modules/policy/can";
import { archiveSegment, getSegment, segmentEditorOptions, updateSegment } from "~/modules/segments/segments.server";
import { foundOr404, requireStaffActor, staffFormIntent } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";
export const shouldRevalidate = segmentEditorShouldRevalidate;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.segment.name ?? "Segment"} · Rapport` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = requireStaffActor(context, request);
  const segment = foundOr404(await getSegment(context.services, params.segmentId ?? ""));
  const [options, tags] = await Promise.all([segmentEditorOptions(context.services, actor, segment.definition), tagsInUse(context.services)]);
  return {
    segment: { id: segment.id, name: segment.name, description: segment.description, definition: segment.definition },
    canChange: can(actor, "segment.change", { authorId: segment.createdById ?? "" }),
    options: { ...options, tags },
  };
}

const Intent = z.enum(["save", "archive"]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, form, intent } = await staffFormIntent(context, request, Intent);
  const segmentId = params.segmentId ?? "";
  const values = { name: String(form.get("name") ?? ""), description: String(form.get("description") ?? "") };
  const result =
    intent === "archive"
      ? await archiveSegment(context.services, actor, { segmentId })
      : await updateSegment(context.services, actor, { segmentId, ...values, definition: form.get("definition") ?? "" });
  if (result.ok) throw redirect(intent === "archive" ? "/staff/segments?archived=1" : `/staff/segments?saved=${segmentId}`);
  return refuse(result, context.locale, { values });
}

export default function EditSegment() {
  const { segment, canChange, options } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>();
  return <SegmentForm key={segment.id} segment={segment} options={options} refusal={refusal} canChange={canChange} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
