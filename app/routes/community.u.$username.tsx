import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Avatar } from "~/components/avatar";
import { getMemberCard } from "~/modules/forums/member-card.server";
import { avatarUrl } from "~/modules/members/avatar.server";
import { postLink } from "~/utils/forum";
import { useDates, useT } from "~/utils/i18n";
import { liftSuspension, standingFor, suspendMember } from "~/modules/members/standing.server";
import { requireUser } from "~/utils/auth.server";
import { refuse } from "~/utils/refusal.server";
import { isMemberRole } from "~/modules/policy/permissions";
import { SUSPENSION_DAYS, suspensionEnd } from "~/utils/standing";
import type { MessageKey } from "~/i18n/en";
import { nameFormerMembersInText } from "~/utils/former-member";
import { translator } from "~/i18n/translate";
import { FormError } from "~/components/form-error";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const card = await getMemberCard(context.services.db, context.user, params.username ?? "");
  if (!card) throw new Response("Not found", { status: 404 });
  const { avatarKey, ...rest } = card;
  // Moderators see, and change, the account's standing here, as on Discourse's user page.
  const standing = await standingFor(context.services, context.user, card.id);
  // An excerpt keeps a deleted member's place (ADR 013), named here in the reader's language.
  const former = translator(context.locale)("member.former");
  const recent = rest.recent.map((post) => ({ ...post, excerpt: nameFormerMembersInText(post.excerpt, former) }));
  return { member: { ...rest, recent, avatar: avatarUrl(avatarKey) }, standing };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const member = await context.services.db.user.findFirst({ where: { username: (params.username ?? "").toLowerCase(), deletedAt: null }, select: { id: true } });
  if (!member) throw new Response("Not found", { status: 404 });
  const form = Object.fromEntries(await request.formData());
  const actor = { id: user.id, role: user.role };
  const input = { ...form, memberId: member.id };
  const command = form.intent === "lift" ? liftSuspension : suspendMember;
  const result = await command(context.services, actor, input, { ip: context.ip });
  if (result.ok) return data({ ok: true as const, message: ("suspension" in result ? "standing.saved.suspended" : "standing.saved.lifted") as MessageKey });
  // The form comes back as it was sent: a reason is not typed twice.
  const values = { days: String(form.days ?? ""), reason: String(form.reason ?? "") };
  return refuse(result, context.locale, { ok: false as const, values }, { messages: "standing.error" });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.member.displayName} (@${data.member.username}) · Rapport` : "Rapport" }];

export default function MemberCardPage() {
  const t = useT();
  const dates = useDates();
  const { member, standing } = useLoaderData<typeof loader>();
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
            {!isMemberRole(member.role) ? (
              <>
                {" "}
                · <span className="badge">{t(`role.${member.role}`)}</span>
              </>
            ) : null}{" "}
            · {t("memberCard.since", { date: dates.date(member.createdAt) })}
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
      {standing ? <StandingPanel name={member.displayName} standing={standing} /> : null}
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
                <p className="muted small">{dates.date(post.createdAt)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function StandingPanel({ name, standing }: { name: string; standing: { suspension: { until: string | Date; reason: string; untilLifted: boolean } | null } }) {
  const t = useT();
  const dates = useDates();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const sent = result && !result.ok ? result.values : undefined;
  const fieldError = (name: string) => {
    const first = errors[name]?.[0];
    return first ? (
      <p id={`standing-${name}-error`} className="field__errors">
        {t(first as MessageKey)}
      </p>
    ) : null;
  };
  const { suspension } = standing;
  return (
    <section aria-labelledby="standing-title" className="card stack">
      <h2 id="standing-title">
        {t("standing.title")}
        {suspension ? <span className="badge badge--danger">{t("standing.suspendedBadge")}</span> : null}
      </h2>
      {result?.ok ? (
        <p className="notice notice--success" role="status">
          {t(result.message, { name })}
        </p>
      ) : (
        <FormError message={result?.formError} />
      )}
      {suspension ? (
        <Form method="post">
          <p>{t("standing.suspendedUntil", { until: suspensionEnd(t, dates, suspension), reason: suspension.reason })}</p>
          <button type="submit" name="intent" value="lift" className="button" disabled={busy}>
            {t("standing.lift")}
          </button>
        </Form>
      ) : (
        <Form method="post" noValidate>
          <p className="muted">{t("standing.intro")}</p>
          <div className="field">
            <label htmlFor="standing-days">{t("standing.days")}</label>
            <select id="standing-days" name="days" defaultValue={sent?.days || "7"} aria-invalid={errors.days ? true : undefined} aria-describedby={errors.days ? "standing-days-error" : undefined}>
              {SUSPENSION_DAYS.map((d) => (
                <option key={d} value={d}>
                  {t(`standing.days.${d}`)}
                </option>
              ))}
            </select>
            {fieldError("days")}
          </div>
          <div className="field">
            <label htmlFor="standing-reason">{t("standing.reason")}</label>
            <textarea
              id="standing-reason"
              name="reason"
              rows={3}
              maxLength={500}
              required
              defaultValue={sent?.reason}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={`standing-reason-hint${errors.reason ? " standing-reason-error" : ""}`}
            />
            <p id="standing-reason-hint" className="field__hint">
              {t("standing.reasonHint")}
            </p>
            {fieldError("reason")}
          </div>
          <button type="submit" name="intent" value="suspend" className="button button--danger" disabled={busy}>
            {t("standing.suspend")}
          </button>
        </Form>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
