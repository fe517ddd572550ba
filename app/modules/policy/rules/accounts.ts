/** One's own account (its password, language, confirmation mail): anyone signed in. Visitors' commands are `anonymous`. */
import type { Rules } from "./shared";

export const accountRules = {
  "account.own": () => true,
} satisfies Rules;
