import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { STAGES } from "~/modules/console/engagement";
import { parseMemberFilter, searchMembers, tagsInUse } from "~/modules/console/members.server";
import { managersCoveredBy } from "~/modules/presence/coverage.server";
import { segmentChoices } from "~/modules/segments/segments.server";
import { avatarUrl } from "~/modules/members/avatar.server";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";
import { isAdminRole } from "~/modules/policy/permissions";

export const meta: MetaFunction = () => [{ title: "Members · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const filter = parseMemberFilter(new URL(request.url).searchParams);
  const isAdmin = isAdminRole(user.role);
  const [result, tags, segments, managers] = await Promise.all([
    searchMembers(context.services, user, filter),
    tagsInUse(context.services),
    segmentChoices(context.services),
    isAdmin
      ? context.services.db.user.findMany({ where: { role: { in: ["staff", "admin"] }, deletedAt: null }, orderBy: { displayName: "asc" }, select: { id: true, displayName: true } })
      : managersCoveredBy(context.services, user),
  ]);
  return {
    isAdmin,
    filter,
    tags,
    segments,
    managers,
    ...result,
    rows: result.rows.map(({ avatarKey, ...row }) => ({ ...row, avatar: avatarUrl(avatarKey) })),
  };
}

export default function MembersList() {
  const t = useT();
  const dates = useDates();
  const { rows, total, page, pages, filter, tags, segments, segment, managers, isAdmin } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `?${next}`;
  };
  const sortLink = (sort: string) => withParams({ sort, dir: filter.sort === sort && (filter.dir ?? (sort === "name" ? "asc" : "desc")) === "desc" ? "asc" : "desc", page: null });
  const ariaSort = (sort: string) => (filter.sort === sort ? ((filter.dir ?? (sort === "name" ? "asc" : "desc")) === "asc" ? "ascending" : "descending") : undefined);
  // An unknown segment is left out here, so the export leaves it out too rather than answer 404.
  const exported = [...params].filter(([k, v]) => k !== "page" && !(k === "segment" && segment === "unknown" && v));
  const csv = `/staff/members.csv${exported.length ? `?${new URLSearchParams(exported)}` : ""}`;
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t("crm.members.title")}</h1>
        <a className="button" href={csv} download>
          {t("crm.members.export")}
        </a>
      </div>
      <Form method="get" className="card toolbar" role="search" aria-label={t("crm.members.filters")}>
        <div className="field">
          <label htmlFor="m-q">{t("crm.members.search")}</label>
          <input id="m-q" name="q" type="search" defaultValue={filter.q ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="m-manager">{t("staff.manager")}</label>
          <select id="m-manager" name="manager" defaultValue={filter.manager ?? (isAdmin ? "all" : "mine")}>
            <option value="mine">{t("staff.myMembers")}</option>
            <option value="all">{isAdmin ? t("staff.allMembers") : t("crm.members.allICanSee")}</option>
            {isAdmin ? <option value="none">{t("assign.unassigned")}</option> : null}
            {managers.map((m) => (
              <option key={m.id} value={m.id}>
                {m.displayName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-stage">{t("crm.stage")}</label>
          <select id="m-stage" name="stage" defaultValue={filter.stage ?? ""}>
            <option value="">{t("crm.any")}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`stage.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-tag">{t("crm.tags")}</label>
          <select id="m-tag" name="tag" defaultValue={filter.tag ?? ""}>
            <option value="">{t("crm.any")}</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-active">{t("crm.members.lastActivity")}</label>
          <select id="m-active" name="active" defaultValue={filter.active ?? ""}>
            <option value="">{t("crm.any")}</option>
            <option value="7">{t("crm.members.active7")}</option>
            <option value="30">{t("crm.members.active30")}</option>
            <option value="90">{t("crm.members.active90")}</option>
            <option value="inactive90">{t("crm.members.inactive90")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-engagement">{t("crm.engagement")}</label>
          <select id="m-engagement" name="engagement" defaultValue={filter.engagement ?? ""}>
            <option value="">{t("crm.any")}</option>
            <option value="high">{t("crm.engagement.high")}</option>
            <option value="medium">{t("crm.engagement.medium")}</option>
            <option value="low">{t("crm.engagement.low")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-segment">{t("segments.filter")}</label>
          <select id="m-segment" name="segment" defaultValue={segment && segment !== "unknown" ? segment.id : ""}>
            <option value="">{t("crm.any")}</option>
            {segments.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <input type="hidden" name="sort" value={filter.sort} />
        {filter.dir ? <input type="hidden" name="dir" value={filter.dir} /> : null}
        <button type="submit" className="button button--primary">
          {t("assign.apply")}
        </button>
      </Form>
      {segment === "unknown" ? (
        <p className="notice" role="status">
          {t("segments.filterUnknown")}
        </p>
      ) : null}
      <p className="muted" role="status">
        {segment && segment !== "unknown" ? `${t("segments.filterActive", { name: segment.name })} ` : ""}
        {t("crm.members.count", { count: total })}
      </p>
      <div className="table-wrap card">
        <table>
          <thead>
            <tr>
              <th scope="col" aria-sort={ariaSort("name")}>
                <Link to={sortLink("name")}>{t("staff.name")}</Link>
              </th>
              <th scope="col">{t("assign.company")}</th>
              <th scope="col">{t("crm.stage")}</th>
              <th scope="col">{t("staff.manager")}</th>
              <th scope="col" aria-sort={ariaSort("score")}>
                <Link to={sortLink("score")}>{t("crm.engagement")}</Link>
              </th>
              <th scope="col" aria-sort={ariaSort("activity")}>
                <Link to={sortLink("activity")}>{t("crm.members.lastActivity")}</Link>
              </th>
              <th scope="col" aria-sort={ariaSort("since")}>
                <Link to={sortLink("since")}>{t("staff.since")}</Link>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <span className="media">
                    <Avatar name={m.displayName} url={m.avatar} size="sm" />
                    <span>
                      <Link to={`/staff/members/${m.id}`}>{m.displayName}</Link>
                      <br />
                      <span className="muted small">{m.email}</span>
                      {m.tags.length ? <span className="small"> {m.tags.map((x) => `#${x.tag}`).join(" ")}</span> : null}
                    </span>
                  </span>
                </th>
                <td>{m.company ?? "—"}</td>
                <td>{t(`stage.${m.stage}`)}</td>
                <td>{m.accountManager?.displayName ?? "—"}</td>
                <td>{m.engagementScore}</td>
                <td>{m.lastActivityAt ? dates.date(m.lastActivityAt) : "—"}</td>
                <td>{dates.date(m.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="muted">{t("crm.members.none")}</p> : null}
      </div>
      {pages > 1 ? (
        <nav aria-label={t("assign.pages")} className="actions">
          {page > 1 ? <Link to={withParams({ page: String(page - 1) })}>{t("assign.previous")}</Link> : null}
          <span>{t("assign.pageOf", { page, pages })}</span>
          {page < pages ? <Link to={withParams({ page: String(page + 1) })}>{t("assign.next")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
