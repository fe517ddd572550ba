/**
 * Chat, by responsibility: ./conversation.server.ts (who takes part, reading),
 * ./messages.server.ts (the commands), ./inbox.server.ts (inbox and badges),
 * ./email-fallback.server.ts, ./reassignment.server.ts (manager changes,
 * presence, cover) and ./reply-times.server.ts. This file only re-exports
 * them for callers written before the split.
 */
export * from "./conversation.server";
export * from "./messages.server";
export * from "./inbox.server";
export * from "./email-fallback.server";
export * from "./reassignment.server";
export * from "./reply-times.server";
export * from "./live.server";
