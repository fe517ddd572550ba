/** The marker belongs to the markdown module (stored HTML); pages fill it through this re-export. */
export * from "~/modules/markdown/former-member";
