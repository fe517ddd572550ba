/** Who is acting: defined beside the domains (app/modules/roles.ts), which presence uses too. */
export type { Actor } from "../roles";
