/** Tokens and hashes live in app/modules/tokens.server.ts (notifications and members use them too). */
export * from "../tokens.server";
