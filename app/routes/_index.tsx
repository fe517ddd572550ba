import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ManagerCard } from "~/components/chat-manager-card";
import { IdeaListItem, StatusBadge } from "~/components/idea-bits";
import { ThreadList } from "~/components/thread-list";
import { resendVerificationEmail } from "~/modules/auth/signup.server";
import { statusOf } from "~/modules/commands/failure";
import { isStaffRole } from "~/modules/policy/permissions";
import { managerCardFor } from "~/modules/chat/manager-card.server";
import { listThreads } from "~/modules/forums/forums.server";
import { unreadCounts } from "~/modules/forums/reading.server";
import { ownedProducts } from "~/modules/products/ownership.server";
import { listProducts } from "~/modules/products/catalogue.server";
import { listIdeas } from "~/modules/ideas/ideas.server";
import { memberAnnouncements } from "~/modules/announcements/announcements.server";
import { ProductCard } from "~/components/product-card";
import { OffersForYou } from "~/components/offers";
import { memberOffers } from "~/modules/offers/offers.server";
import { requireUser } from "~/utils/auth.server";
import { useLocale, useT } from "~/utils/i18n";

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.user;
  if (!user) return { user: null, member: null, staff: false, guest: await guestHome(context) };
  const me = { displayName: user.displayName, email: user.email, emailVerified: user.emailVerified };
  // Staff have no account manager: their card points at their work instead.
  if (isStaffRole(user.role)) return { user: me, member: null, staff: true, guest: null };
  // A member's home: what is new, who looks after them, and what the business asked of them.
  const { db } = context.services;
  const [manager, latest, ideas, products, announcements] = await Promise.all([
    managerCardFor(context.services, user.id),
    listThreads(db, user, { limit: 5 }),
    db.idea.findMany({
      where: { authorId: user.id, deletedAt: null, mergedIntoId: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 3,
      select: { id: true, title: true, status: true, voteCount: true },
    }),
    ownedProducts(db, user.id),
    memberAnnouncements(db, user.id, { limit: 3 }),
  ]);
  // Only offers still to use: the profile keeps the used and expired ones.
  const offers = (await memberOffers(context.services, user.id, { usableOnly: true })).slice(0, 3);
  const unread = await unreadCounts(db, user.id, latest.items);
  const toReview = products.filter((p) => !p.myReview && p.status === "active").slice(0, 3);
  return { user: me, member: { manager, latest: latest.items, unread, ideas, toReview, announcements, offers }, staff: false, guest: null };
}

/** What a visitor sees before joining: public threads only, the most voted open ideas, the best-rated products. */
async function guestHome(context: LoaderFunctionArgs["context"]) {
  const { db, clock } = context.services;
  const [latest, ideas, products] = await Promise.all([
    listThreads(db, null, { limit: 5 }),
    listIdeas(db, clock.now(), { sort: "top", status: "active" }),
    listProducts(db, { sort: "rating", locale: context.locale }),
  ]);
  return {
    latest: latest.items,
    ideas: ideas.items.slice(0, 4).map(({ id, title, status, voteCount }) => ({ id, title, status, voteCount })),
    products: products.filter((p) => p.rating.count > 0).slice(0, 4),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const result = await resendVerificationEmail(context.services, { id: user.id, role: user.role }, {}, { ip: context.ip });
  return data({ resent: result.ok }, { status: result.ok ? 200 : statusOf(result) });
}

/** A few ideas with their status and votes: a member's own, or the popular ones a visitor sees. */
function IdeasSection({ title, ideas, empty, more }: { title: string; ideas: IdeaLine[]; empty: string; more: { to: string; label: string } }) {
  return (
    <section aria-labelledby="home-ideas" className="card stack">
      <h2 id="home-ideas">{title}</h2>
      {ideas.length ? (
        <ul className="plain-list">
          {ideas.map((idea) => (
            <IdeaListItem key={idea.id} idea={idea} />
          ))}
        </ul>
      ) : (
        <p className="muted">{empty}</p>
      )}
      <p>
        <Link to={more.to}>{more.label}</Link>
      </p>
    </section>
  );
}

type IdeaLine = { id: string; title: string; status: Parameters<typeof StatusBadge>[0]["status"]; voteCount: number };

export default function HomePage() {
  const t = useT();
  const locale = useLocale();
  const { user, member, staff, guest } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!user) {
    const join = (
      <p className="actions">
        <Link to="/signup" className="button button--primary">
          {t("home.getStarted")}
        </Link>
        <Link to="/login" className="button">
          {t("home.haveAccount")}
        </Link>
      </p>
    );
    return (
      <div className="stack">
        <section className="hero" aria-labelledby="home-title">
          <h1 id="home-title">{t("home.title")}</h1>
          <p className="lead">{t("home.intro")}</p>
          {join}
        </section>
        {guest ? (
          <>
            <div className="home-grid">
              <section aria-labelledby="home-latest" className="card stack">
                <h2 id="home-latest">{t("home.latest")}</h2>
                {guest.latest.length ? <ThreadList threads={guest.latest} /> : <p className="muted">{t("home.latestEmpty")}</p>}
                <p>
                  <Link to="/community">{t("home.allDiscussions")}</Link>
                </p>
              </section>
              <IdeasSection title={t("home.popularIdeas")} ideas={guest.ideas} empty={t("home.noPopularIdeas")} more={{ to: "/ideas?sort=top", label: t("home.allIdeas") }} />
            </div>
            {guest.products.length ? (
              <section aria-labelledby="home-products" className="stack">
                <h2 id="home-products">{t("home.bestRated")}</h2>
                <ul className="product-grid">
                  {guest.products.map((p) => (
                    <ProductCard key={p.id} product={p} heading="h3" />
                  ))}
                </ul>
                <p>
                  <Link to="/products?sort=rating">{t("home.allProducts")}</Link>
                </p>
              </section>
            ) : null}
            <section aria-labelledby="home-join" className="card stack">
              <h2 id="home-join">{t("home.joinTitle")}</h2>
              <p>{t("home.joinPrompt")}</p>
              {join}
            </section>
          </>
        ) : null}
      </div>
    );
  }
  return (
    <div className="stack">
      <h1 id="home-title">{t("home.hello", { name: user.displayName })}</h1>
      {!user.emailVerified ? (
        <div className="notice" role="status">
          <p>{t("home.verifyBanner", { email: user.email })}</p>
          {actionData?.resent ? (
            <p>{t("home.verificationSent")}</p>
          ) : (
            <Form method="post">
              <button type="submit" className="button">
                {t("home.resendVerification")}
              </button>
            </Form>
          )}
        </div>
      ) : null}
      <p className="lead">{t("home.intro")}</p>
      {staff ? (
        <div className="card">
          <h2>{t("home.yourWork")}</h2>
          <p>{t("home.yourWorkIntro")}</p>
          <p className="actions">
            <Link to="/staff/inbox" className="button button--primary">
              {t("nav.inbox")}
            </Link>
            <Link to="/staff/tasks" className="button">
              {t("nav.tasks")}
            </Link>
            <Link to="/staff" className="button">
              {t("nav.dashboard")}
            </Link>
          </p>
        </div>
      ) : member ? (
        <div className="home-grid">
          <section aria-labelledby="home-latest" className="card stack">
            <div className="page-head">
              <h2 id="home-latest">{t("home.latest")}</h2>
              <Link to="/community/new" className="button">
                {t("forum.newThread")}
              </Link>
            </div>
            {member.latest.length ? <ThreadList threads={member.latest} unread={member.unread} /> : <p className="muted">{t("home.latestEmpty")}</p>}
            <p>
              <Link to="/community">{t("home.allDiscussions")}</Link>
            </p>
          </section>
          <div className="stack">
            {member.announcements.length ? (
              <section aria-labelledby="home-announcements" className="card stack">
                <h2 id="home-announcements">{t("home.announcements")}</h2>
                <ul className="plain-list">
                  {member.announcements.map((a) => (
                    <li key={a.id} lang={a.lang}>
                      <Link to={`/announcements/${a.id}`}>{a.opened ? a.title : <strong>{a.title}</strong>}</Link>
                    </li>
                  ))}
                </ul>
                <p>
                  <Link to="/announcements">{t("home.allAnnouncements")}</Link>
                </p>
              </section>
            ) : null}
            <section aria-labelledby="home-manager" className="card stack">
              <h2 id="home-manager">{t("home.yourManager")}</h2>
              {member.manager ? (
                <>
                  <ManagerCard manager={member.manager} compact />
                  <p>
                    <Link to="/chat">{t("home.chatWithManager", { name: member.manager.displayName })}</Link>
                  </p>
                </>
              ) : (
                <p>{t("home.noManager")}</p>
              )}
            </section>
            {member.offers.length ? (
              <section aria-labelledby="home-offers" className="card stack">
                <h2 id="home-offers">{t("offers.forYou")}</h2>
                <OffersForYou offers={member.offers} headingId="home-offers" />
                <p>
                  <Link to="/profile/offers">{t("offers.forYouAll")}</Link>
                </p>
              </section>
            ) : null}
            <IdeasSection title={t("home.yourIdeas")} ideas={member.ideas} empty={t("home.noIdeas")} more={{ to: "/ideas/new", label: t("home.suggestIdea") }} />
            {member.toReview.length ? (
              <section aria-labelledby="home-review" className="card stack">
                <h2 id="home-review">{t("home.toReview")}</h2>
                <ul className="plain-list">
                  {member.toReview.map((product) => (
                    <li key={product.id}>
                      <Link to={`/products/${product.slug}#write-review`}>{t("home.reviewProduct", { product: locale === "vi" ? product.nameVi : product.nameEn })}</Link>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
