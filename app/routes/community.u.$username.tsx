import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Avatar } from "~/components/avatar";
import { getMemberCard } from "~/modules/forums/member-card.server";
import { avatarUrl } from "~/modules/members/avatar.server";
import { postLink } from "~/utils/forum";
import { formatDate, useLocale, useT } from "~/utils/i18n";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const card = await getMemberCard(context.services.db, context.user, params.username ?? "");
  if (!card) throw new Response("Not found", { status: 404 });
  const { avatarKey, ...rest } = card;
  return { member: { ...rest, avatar: avatarUrl(avatarKey) } };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.member.displayName} (@${data.member.username}) · Rapport` : "Rapport" }];

export default function MemberCardPage() {
  const t = useT();
  const locale = useLocale();
  const { member } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p>
        <Link to="/community">← {t("forum.title")}</Link>
      </p>
      <header className="member-card">
        <Avatar name={member.displayName} url={member.avatar} size="lg" />
        <div>
          <h1>{member.displayName}</h1>
          <p className="muted">
            @{member.username}
            {member.role !== "member" ? (
              <>
                {" "}
                · <span className="badge">{t(`role.${member.role}`)}</span>
              </>
            ) : null}{" "}
            · {t("memberCard.since", { date: formatDate(locale, member.createdAt) })}
          </p>
          <dl className="member-card__stats">
            <div>
              <dt>{t("memberCard.threads")}</dt>
              <dd>{member.stats.threads}</dd>
            </div>
            <div>
              <dt>{t("memberCard.replies")}</dt>
              <dd>{member.stats.replies}</dd>
            </div>
            <div>
              <dt>{t("memberCard.solutions")}</dt>
              <dd>{member.stats.solutions}</dd>
            </div>
          </dl>
        </div>
      </header>
      <section aria-labelledby="recent-title" className="stack">
        <h2 id="recent-title">{t("memberCard.recent")}</h2>
        {member.recent.length === 0 ? (
          <p className="muted">{t("memberCard.nothingYet")}</p>
        ) : (
          <ul className="member-card__posts">
            {member.recent.map((post) => (
              <li key={post.id}>
                <Link to={postLink(post.thread.id, post.position)}>{post.thread.title}</Link>
                {post.solved ? <span className="badge badge--solved">{t("forum.solved")}</span> : null}
                <p className="muted">{post.excerpt}</p>
                <p className="muted small">{formatDate(locale, post.createdAt)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
