/**
 * A member's co-creation data for their export (members/my-data.server.ts):
 * what they own, wrote, voted for and reported, as they wrote it (markdown).
 */
import type { Db } from "../services.server";

export async function coCreationExport(db: Db, memberId: string) {
  const product = { select: { slug: true, nameEn: true } } as const;
  const idea = { select: { id: true, title: true } } as const;
  const [ownedProducts, reviews, helpfulVotes, reviewReports, ideas, ideaVotes, ideaComments, ideaFollows] = await Promise.all([
    db.productOwnership.findMany({ where: { memberId }, orderBy: { recordedAt: "asc" }, select: { recordedAt: true, product } }),
    db.productReview.findMany({
      where: { authorId: memberId },
      orderBy: { createdAt: "asc" },
      select: { rating: true, title: true, bodyMarkdown: true, createdAt: true, editedAt: true, hiddenAt: true, helpfulCount: true, responseMarkdown: true, respondedAt: true, product },
    }),
    db.reviewHelpfulVote.findMany({ where: { userId: memberId }, orderBy: { createdAt: "asc" }, select: { reviewId: true, createdAt: true } }),
    db.reviewReport.findMany({ where: { reporterId: memberId }, orderBy: { createdAt: "asc" }, select: { reviewId: true, reason: true, note: true, createdAt: true } }),
    db.idea.findMany({
      where: { authorId: memberId },
      orderBy: { createdAt: "asc" },
      select: { id: true, title: true, bodyMarkdown: true, status: true, voteCount: true, createdAt: true, mergedIntoId: true, product },
    }),
    db.ideaVote.findMany({ where: { userId: memberId }, orderBy: { createdAt: "asc" }, select: { createdAt: true, idea } }),
    db.ideaComment.findMany({ where: { authorId: memberId }, orderBy: { createdAt: "asc" }, select: { bodyMarkdown: true, createdAt: true, editedAt: true, deletedAt: true, idea } }),
    db.ideaFollow.findMany({ where: { userId: memberId }, select: { following: true, createdAt: true, idea } }),
  ]);
  return { ownedProducts, reviews, helpfulVotes, reviewReports, ideas, ideaVotes, ideaComments, ideaFollows };
}
