/** Products, reviews and ideas for tests and the demo seed, written as the modules store them. */
import type { Db } from "../../app/modules/services.server.ts";
import { newSortableId } from "../../app/modules/ids.server.ts";

let counter = 0;

export async function createProduct(
  db: Db,
  input: Partial<{ slug: string; nameVi: string; nameEn: string; descriptionVi: string; descriptionEn: string; categoryId: string | null; status: "active" | "retired"; imageKey: string | null; at: Date }> = {},
) {
  counter += 1;
  const slug = input.slug ?? `product-${newSortableId().slice(-8)}`;
  return db.product.create({
    data: {
      id: newSortableId(input.at),
      slug,
      nameVi: input.nameVi ?? `Sản phẩm ${counter}`,
      nameEn: input.nameEn ?? `Product ${counter}`,
      descriptionVi: input.descriptionVi ?? "",
      descriptionEn: input.descriptionEn ?? "",
      categoryId: input.categoryId ?? null,
      status: input.status ?? "active",
      imageKey: input.imageKey ?? null,
      ...(input.at ? { createdAt: input.at } : {}),
    },
    select: { id: true, slug: true, nameVi: true, nameEn: true },
  });
}
