/** Who is acting: a signed-in person with their role. Anonymous visitors are `null` where a function accepts them. */
import type { Role } from "~/generated/prisma/enums";

export interface Actor {
  id: string;
  role: Role;
}
