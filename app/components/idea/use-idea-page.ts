import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { action, loader } from "~/routes/ideas.$ideaId";

/**
 * Everything the idea page reads: the loader's idea and permissions, the
 * refused form (if any) and what is derived from them. The parts only render.
 */
export function useIdeaPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  // A refusal belongs to the one form whose intent sent it; the others stay clean.
  const result = (intent: string) => (actionData?.intent === intent ? actionData : null);
  const { idea } = data;
  // "We built this" quotes the latest change to done, only while the idea stays done.
  const doneNote = idea.status === "done" ? idea.statusChanges.filter((c) => c.toStatus === "done").at(-1) : null;
  return { ...data, busy, result, doneNote };
}

export type IdeaPageState = ReturnType<typeof useIdeaPage>;
export type IdeaView = IdeaPageState["idea"];
export type IdeaCan = IdeaPageState["can"];
export type IdeaViewer = IdeaPageState["viewer"];
/** The refused submission of one intent, or null. */
export type IdeaResult = ReturnType<IdeaPageState["result"]>;
export type ResultOf = IdeaPageState["result"];
