import type { Services } from "../services.server";

/** The member's own account manager, with only what a member may see of them. */
export async function getAccountManagerOf(services: Pick<Services, "db">, memberId: string) {
  const member = await services.db.user.findUnique({
    where: { id: memberId },
    select: { accountManager: { select: { id: true, displayName: true } } },
  });
  return member?.accountManager ?? null;
}

/** Members a staff member may see: their own assignments; admins see everyone. */
export async function listMembersForStaff(
  services: Pick<Services, "db">,
  viewer: { id: string; role: string },
  options: { take?: number } = {},
) {
  return services.db.user.findMany({
    where: {
      role: { in: ["member", "moderator"] },
      deletedAt: null,
      ...(viewer.role === "admin" ? {} : { accountManagerId: viewer.id }),
    },
    orderBy: { displayName: "asc" },
    take: options.take ?? 100,
    select: {
      id: true,
      displayName: true,
      email: true,
      createdAt: true,
      accountManager: { select: { displayName: true } },
    },
  });
}

export async function getAccountOverview(services: Pick<Services, "db">, userId: string) {
  return services.db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, displayName: true, role: true, createdAt: true, emailVerifiedAt: true },
  });
}
