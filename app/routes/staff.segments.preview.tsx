import { data, type ActionFunctionArgs } from "@remix-run/node";
import type { SegmentPreview } from "~/components/segment-editor";
import { definitionIssues, parseDefinition } from "~/modules/segments/definition";
import { previewSegment } from "~/modules/segments/segments.server";
import { requirePermission } from "~/utils/auth.server";

/**
 * The editor's live count: the definition as it stands (JSON, posted by a fetcher), counted in the
 * viewer's scope with a first few members; or every problem with it, each at its row, as message keys.
 * A POST because a definition can be longer than an address should be; it writes nothing.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const raw = (await request.formData()).get("definition");
  const text = typeof raw === "string" && raw.length <= 50_000 ? raw : "";
  const parsed = parseDefinition(text);
  if (!parsed.ok) return data<SegmentPreview>({ ok: false, issues: definitionIssues(text) }, { status: 400 });
  const { count, sample } = await previewSegment(context.services, { id: user.id, role: user.role }, parsed.definition);
  return data<SegmentPreview>({
    ok: true,
    count,
    sample: sample.map((m) => ({ id: m.id, displayName: m.displayName, stage: m.stage, engagementScore: m.engagementScore, manager: m.accountManager?.displayName ?? null })),
  });
}
