/** The follow-up task form, shared by the browser (limits) and the server (validation). */
import { z } from "zod";
import { isCalendarDay } from "./calendar";

export const TASK_TITLE_MAX = 200;

export const taskFieldsSchema = z.object({
  title: z
    .string({ required_error: "tasks.error.titleRequired", invalid_type_error: "tasks.error.titleRequired" })
    .trim()
    .min(1, "tasks.error.titleRequired")
    .max(TASK_TITLE_MAX, "tasks.error.titleTooLong"),
  dueOn: z
    .string({ required_error: "tasks.error.dueRequired", invalid_type_error: "tasks.error.dueRequired" })
    .trim()
    .min(1, "tasks.error.dueRequired")
    .refine(isCalendarDay, "tasks.error.dueInvalid"),
  assigneeId: z
    .string({ required_error: "tasks.error.assigneeRequired", invalid_type_error: "tasks.error.assigneeRequired" })
    .trim()
    .min(1, "tasks.error.assigneeRequired")
    .max(64, "tasks.error.assigneeInvalid"),
});

export type TaskFields = z.infer<typeof taskFieldsSchema>;
export type TaskField = keyof TaskFields;
/** Field errors are message keys (app/i18n/console.ts). */
export type TaskErrors = Partial<Record<TaskField | "form", string[]>>;
