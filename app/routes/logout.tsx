import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logOut } from "~/modules/auth/accounts.server";

export async function loader() {
  // Log-out changes state, so it is a POST; a GET just goes home.
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  if (!context.session || !context.user) return redirect("/");
  const cookie = await logOut(context.services, context.user.id, context.session.id);
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}
