/** The languages live with the modules (a member's language is theirs to keep); the edge re-exports them. */
export * from "~/modules/locales";
