/** The hidden fields that name a post's intent and, when it acts on one, the review: the action reads both. */
export function IntentFields({ intent, reviewId }: { intent: string; reviewId: string | null }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      {reviewId ? <input type="hidden" name="reviewId" value={reviewId} /> : null}
    </>
  );
}
