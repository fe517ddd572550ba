import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["build/**", "app/generated/**", "node_modules/**", "test-results/**", "playwright-report/**", "tests/.tmp/**", "data/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Server code talks to the database through the services object only.
      "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='PrismaClient']", message: "Open the database through server/db/open.ts." }],
    },
  },
  {
    files: ["server/db/open.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // The direction of the layers (docs/ARCHITECTURE.md): modules return message keys and never
    // reach up into the edge (pages, components, request helpers, the catalogues). Types are
    // allowed: a module names the message keys it returns.
    files: ["app/modules/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/utils/*", "~/routes/*", "~/components/*", "~/i18n/*", "../../utils/*", "../../routes/*", "../../components/*", "../../i18n/*", "../utils/*", "../i18n/*"],
              allowTypeImports: true,
              message: "app/modules must not import the edge (utils, routes, components, i18n): return message keys and let the edge localize; move a shared constant into the module that owns it.",
            },
          ],
        },
      ],
    },
  },
);
