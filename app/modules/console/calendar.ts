/** Calendar days live in app/modules/calendar.ts (notifications use them too); the console re-exports them. */
export * from "../calendar";
