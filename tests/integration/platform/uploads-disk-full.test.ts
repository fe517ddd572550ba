import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalStorage } from "../../../app/modules/storage/local-storage.server.ts";
import { action as productAdminAction } from "../../../app/routes/staff.products.$productId.tsx";
import { uploadAvatar } from "../../../app/modules/members/avatar.server.ts";
import { createAdmin, createMember } from "../../factories/actors.ts";
import { createProduct } from "../../factories/co-creation.ts";
import { ORIGIN, routeAnswer, routeContext } from "../../support/routes.ts";
import { servicesForThisFile } from "../../support/services.ts";

const run = promisify(execFile);

// A real full (and then read-only) filesystem: a 256 KiB tmpfs mounted for this file. Mounting
// needs root (CI runs as root); elsewhere the file says it was skipped.
const canMount = process.getuid?.() === 0 && process.platform === "linux";
if (!canMount) console.warn("uploads-disk-full: skipped, mounting a small tmpfs needs root on Linux");

describe.skipIf(!canMount)("uploads when the disk under DATA_DIR/uploads is full or read-only", () => {
  const services = servicesForThisFile();
  let mount: string;
  let png: Buffer;

  beforeAll(async () => {
    mount = await mkdtemp(path.join(os.tmpdir(), "rapport-full-"));
    await run("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mount]);
    services.storage = createLocalStorage(mount);
    // Noise does not compress: the WebP made from it is larger than what the disk has left.
    const noise = Buffer.alloc(700 * 500 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    png = await sharp(noise, { raw: { width: 700, height: 500, channels: 3 } }).png().toBuffer();
    await run("dd", ["if=/dev/zero", `of=${path.join(mount, "filler")}`, "bs=1k", "count=1024"]).catch(() => undefined); // fills it
  });
  afterAll(async () => {
    if (!mount) return;
    await run("umount", ["-l", mount]).catch(() => undefined);
    await rm(mount, { recursive: true, force: true });
  });

  const filesUnder = async (dir: string): Promise<string[]> =>
    (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

  it("an avatar upload is refused with a reason, nothing half-written stays, the profile keeps its picture, and it works once there is room", async () => {
    const member = await createMember(services.db);
    expect(await uploadAvatar(services, member.actor, { memberId: member.id, file: { bytes: png } })).toEqual({ ok: false, error: "storageUnavailable" });
    expect(await filesUnder(mount)).toEqual([path.join(mount, "filler")]);
    expect((await services.db.user.findUniqueOrThrow({ where: { id: member.id }, select: { avatarKey: true } })).avatarKey).toBeNull();

    await rm(path.join(mount, "filler"));
    const saved = await uploadAvatar(services, member.actor, { memberId: member.id, file: { bytes: png } });
    expect(saved).toMatchObject({ ok: true });
  });

  it("a product picture on a read-only disk gets 507 and the reason beside the field; the product keeps its picture", async () => {
    const admin = await createAdmin(services.db, { email: "full-disk-admin@example.test" });
    const product = await createProduct(services.db, { slug: "den-pin-mini" });
    await run("mount", ["-o", "remount,ro", mount]);
    try {
      const form = new FormData();
      form.append("image", new Blob([new Uint8Array(png)], { type: "image/png" }), "picture.png");
      const request = new Request(`${ORIGIN}/staff/products/${product.id}`, { method: "POST", body: form });
      const answer = await routeAnswer(() => productAdminAction({ request, context: routeContext(services, admin), params: { productId: product.id } }));
      expect(answer).toMatchObject({ status: 507, data: { form: "image", fieldErrors: { image: ["upload.storageUnavailable"] } } });
      expect((await services.db.product.findUniqueOrThrow({ where: { id: product.id }, select: { imageKey: true } })).imageKey).toBeNull();
    } finally {
      await run("mount", ["-o", "remount,rw", mount]);
    }
    // The rest of the portal never noticed.
    expect(await services.db.product.count()).toBeGreaterThan(0);
  });
});
