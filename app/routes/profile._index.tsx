import { isImageRefusal, refusedImage } from "~/utils/uploads.server";
import { refusalResponse } from "~/utils/refusal.server";
import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import {
  data,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Avatar } from "~/components/avatar";
import { Field, FieldErrors } from "~/components/field";
import { SelectField, TextareaField } from "~/components/select-field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProfileSchema, CONTACT_CHANNELS } from "~/modules/members/profile-schema";
import { getProfile, setAvatarKey, updateProfile } from "~/modules/members/profile.server";
import { AVATAR_MAX_BYTES, avatarUrl, uploadAvatar } from "~/modules/members/avatar.server";
import { requireUser } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import { LOCALE_COOKIE, preferenceCookie } from "~/utils/cookies";
import type { MessageKey } from "~/i18n/en";
import { ContactHoursForm } from "~/components/contact-hours";
import type { Actor } from "~/modules/policy/actor";
import { timeOf } from "~/modules/members/contact-hours";
import { getContactHours, setContactHours } from "~/modules/members/contact-hours.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const profile = await getProfile(context.services.db, user.id);
  const manager = profile.accountManager
    ? {
        displayName: profile.accountManager.displayName,
        avatar: avatarUrl(profile.accountManager.avatarKey),
        hours: (await context.services.db.user.findUnique({ where: { id: profile.accountManager.id }, select: { contactHours: true } }))
          ?.contactHours ?? null,
      }
    : null;
  const hours = await getContactHours(context.services.db, user.id);
  return {
    profile: { ...profile, avatar: avatarUrl(profile.avatarKey), accountManager: undefined },
    manager,
    // Unset shows "any time" with a working-day window ready to pick.
    emailHours: hours
      ? { mode: "window" as const, weekdays: hours.weekdays, from: timeOf(hours.fromMinute), to: timeOf(hours.toMinute) }
      : { mode: "any" as const, weekdays: [1, 2, 3, 4, 5], from: "08:00", to: "20:00" },
    // ICU may list a zone under an older alias (Asia/Saigon); keep the member's own value selectable.
    timezones: [...new Set([profile.timezone, ...Intl.supportedValuesOf("timeZone")])].sort(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const actor = { id: user.id, role: user.role };
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    let formData: FormData;
    try {
      formData = await unstable_parseMultipartFormData(
        request,
        unstable_createMemoryUploadHandler({ maxPartSize: AVATAR_MAX_BYTES }),
      );
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) {
        return data({ form: "avatar" as const, avatarError: "profile.avatarTooLarge" as MessageKey, result: undefined }, { status: 413 });
      }
      throw error;
    }
    const file = formData.get("avatar");
    const bytes = file instanceof File ? Buffer.from(await file.arrayBuffer()) : null;
    const result = await uploadAvatar(context.services, actor, { memberId: user.id, file: bytes ? { bytes } : null });
    if (!result.ok) {
      // One's own profile is always in scope: anything but a refused picture is unexpected.
      if (!isImageRefusal(result.error)) throw refusalResponse(result, context.locale);
      const { message: key, status } = refusedImage(result.error, {
        tooLarge: "profile.avatarTooLarge",
        missing: "profile.avatarMissing",
        wrongType: "profile.avatarWrongType",
      });
      return data({ form: "avatar" as const, avatarError: key, result: undefined }, { status });
    }
    return { form: "avatar" as const, avatarError: null as MessageKey | null, result: undefined, avatarSaved: true };
  }
  const formData = await request.formData();
  if (formData.get("intent") === "remove-avatar") {
    const removed = await setAvatarKey(context.services, actor, { memberId: user.id, avatarKey: null }, { ip: context.ip });
    if (!removed.ok) throw refusalResponse(removed, context.locale);
    return { form: "avatar" as const, avatarError: null as MessageKey | null, result: undefined, avatarSaved: true };
  }
  if (formData.get("intent") === "contact-hours") return saveContactHours(context, user.id, actor, formData);
  const submission = parseWithZod(formData, { schema: ProfileSchema });
  if (submission.status !== "success") {
    return data({ form: "profile" as const, result: submission.reply(), avatarError: null as MessageKey | null }, { status: 400 });
  }
  const saved = await updateProfile(context.services, actor, { ...submission.value, memberId: user.id }, { ip: context.ip });
  if (!saved.ok) {
    if (saved.error !== "usernameTaken") throw refusalResponse(saved, context.locale);
    const result = submission.reply({ fieldErrors: { username: ["validation.usernameTaken"] } });
    return data({ form: "profile" as const, result, avatarError: null as MessageKey | null }, { status: 409 });
  }
  const headers = new Headers();
  // The chosen language applies at once, in this browser too.
  headers.append("Set-Cookie", preferenceCookie(LOCALE_COOKIE, submission.value.locale, context.services.settings.secureCookies));
  return data({ form: "profile" as const, result: submission.reply(), avatarError: null as MessageKey | null, saved: true }, { headers });
}

async function saveContactHours(context: ActionFunctionArgs["context"], memberId: string, actor: Actor, formData: FormData) {
  const values = {
    mode: formData.get("mode") === "window" ? ("window" as const) : ("any" as const),
    weekdays: formData.getAll("weekdays").map(Number).filter((d) => Number.isInteger(d)),
    from: String(formData.get("from") ?? ""),
    to: String(formData.get("to") ?? ""),
  };
  const saved = await setContactHours(context.services, actor, { ...values, memberId }, { ip: context.ip });
  if (!saved.ok) {
    if (saved.error !== "invalid" || !saved.fieldErrors) throw refusalResponse(saved, context.locale);
    return data({ form: "contactHours" as const, values, errors: saved.fieldErrors, avatarError: null as MessageKey | null, result: undefined }, { status: 400 });
  }
  return { form: "contactHours" as const, values, errors: undefined, avatarError: null as MessageKey | null, result: undefined, contactHoursSaved: true };
}

export default function ProfileDetails() {
  const t = useT();
  const dates = useDates();
  const { profile, manager, timezones, emailHours } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "profile",
    lastResult: actionData?.form === "profile" ? actionData.result : undefined,
    constraint: getZodConstraint(ProfileSchema),
    shouldValidate: "onBlur",
    // Clear an error while typing, not on blur: a blur that removes an error
    // shifts the layout under the pointer and swallows the click on "submit".
    shouldRevalidate: "onInput",
    defaultValue: {
      displayName: profile.displayName,
      username: profile.username,
      bio: profile.bio ?? "",
      company: profile.company ?? "",
      phone: profile.phone ?? "",
      timezone: profile.timezone,
      locale: profile.locale,
      contactChannel: profile.contactChannel,
      contactHours: profile.contactHours ?? "",
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
  });
  return (
    <div className="stack">
      <h1>{t("profile.title")}</h1>

      <section className="card" aria-labelledby="avatar-title">
        <h2 id="avatar-title">{t("profile.avatar")}</h2>
        <div className="media">
          {profile.avatar ? (
            <img src={profile.avatar} alt={t("profile.avatarAlt", { name: profile.displayName })} className="avatar avatar--lg" />
          ) : (
            <Avatar name={profile.displayName} url={null} size="lg" />
          )}
          <div className="stack">
            {actionData && "avatarSaved" in actionData && actionData.avatarSaved ? (
              <p role="status" className="notice notice--success">
                {t("profile.avatarSaved")}
              </p>
            ) : null}
            <Form method="post" encType="multipart/form-data" className="inline-upload">
              <div className="field">
                <label htmlFor="avatar-file">{t("profile.avatarChoose")}</label>
                <input
                  id="avatar-file"
                  type="file"
                  name="avatar"
                  accept="image/png,image/jpeg,image/webp"
                  aria-describedby="avatar-hint avatar-error"
                  aria-invalid={actionData?.avatarError ? true : undefined}
                />
                <p id="avatar-hint" className="field__hint">
                  {t("profile.avatarHint")}
                </p>
                {actionData?.avatarError ? (
                  <div id="avatar-error" className="field__errors" role="alert">
                    <ul>
                    <li>{t(actionData.avatarError)}</li>
                  </ul>
                  </div>
                ) : null}
              </div>
              <button type="submit" className="button button--primary">
                {t("profile.avatarUpload")}
              </button>
            </Form>
            {profile.avatar ? (
              <Form method="post">
                <button type="submit" name="intent" value="remove-avatar" className="button">
                  {t("profile.avatarRemove")}
                </button>
              </Form>
            ) : null}
          </div>
        </div>
      </section>

      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">{t("profile.details")}</h2>
        {actionData && "saved" in actionData && actionData.saved ? (
          <p role="status" className="notice notice--success">
            {t("profile.saved")}
          </p>
        ) : null}
        <p className="muted">
          {profile.email} · {t("profile.memberSince")} {dates.date(profile.createdAt)}
        </p>
        <Form method="post" {...getFormProps(form)}>
          <FieldErrors id={form.errorId} errors={form.errors} translate={(e) => translateError(t, e)} />
          <Field field={fields.displayName} label={t("signup.displayName")} autoComplete="name" />
          <Field field={fields.username} label={t("profile.username")} autoComplete="username" hint={t("profile.usernameHint")} />
          <TextareaField field={fields.bio} label={t("profile.bio")} />
          <Field field={fields.company} label={t("profile.company")} autoComplete="organization" />
          <Field field={fields.phone} label={t("profile.phone")} type="tel" autoComplete="tel" />
          <SelectField field={fields.timezone} label={t("profile.timezone")} options={timezones.map((z) => ({ value: z, label: z }))} />
          <SelectField
            field={fields.locale}
            label={t("profile.language")}
            options={[
              { value: "vi", label: t("lang.vi") },
              { value: "en", label: t("lang.en") },
            ]}
          />
          <SelectField
            field={fields.contactChannel}
            label={t("profile.contactChannel")}
            options={CONTACT_CHANNELS.map((c) => ({ value: c, label: t(`profile.channel.${c}`) }))}
          />
          <Field field={fields.contactHours} label={t("profile.contactHours")} hint={t("profile.contactHoursHint")} />
          <button type="submit" className="button button--primary">
            {t("profile.saveProfile")}
          </button>
        </Form>
      </section>

      <ContactHoursForm
        values={actionData?.form === "contactHours" && actionData.errors ? actionData.values : emailHours}
        zone={profile.timezone}
        errors={actionData?.form === "contactHours" ? actionData.errors : undefined}
        saved={actionData?.form === "contactHours" && "contactHoursSaved" in actionData}
      />

      <section className="card" aria-labelledby="manager-title">
        <h2 id="manager-title">{t("profile.yourManager")}</h2>
        {manager ? (
          <div className="media">
            <Avatar name={manager.displayName} url={manager.avatar} />
            <div>
              <p>
                <strong>{manager.displayName}</strong>
              </p>
              {manager.hours ? <p className="muted">{t("profile.managerHours", { hours: manager.hours })}</p> : null}
              <p>
                <Link to="/chat">{t("profile.managerChat", { name: manager.displayName })}</Link>
              </p>
            </div>
          </div>
        ) : (
          <p>{t("profile.noManager")}</p>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
