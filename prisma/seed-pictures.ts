/**
 * Pictures for the demo products: a flat illustration of each, drawn here as
 * SVG, rasterised by sharp and then uploaded through uploadProductImage as an
 * admin would upload a photo (the same checks, re-encoding and storage).
 */
import sharp from "sharp";
import type { Services } from "../app/modules/services.server.ts";
import { uploadProductImage } from "../app/modules/products/catalogue.server.ts";

const W = 800;
const H = 600;

/** Soft backdrop per category, with a floor shadow under the object. */
function scene(background: [string, string], body: string) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${background[0]}"/><stop offset="1" stop-color="${background[1]}"/></linearGradient></defs>
  <rect width="${W}" height="${H}" fill="url(#bg)"/>
  <ellipse cx="400" cy="520" rx="230" ry="26" fill="#000" opacity="0.12"/>
  ${body}
</svg>`;
}

const OUTERWEAR: [string, string] = ["#e6f0f7", "#c9dbe9"];
const KITCHEN: [string, string] = ["#f7efe4", "#e8d6bf"];
const OUTDOOR: [string, string] = ["#e9f3e6", "#cde2c6"];

/** A jacket outline: body, sleeves, hood; colours and details vary. */
function jacket(main: string, dark: string, extra = "") {
  return `<path d="M300 150 L250 170 L170 330 L215 350 L270 250 L270 500 L530 500 L530 250 L585 350 L630 330 L550 170 L500 150 Z" fill="${main}" stroke="${dark}" stroke-width="6" stroke-linejoin="round"/>
  <path d="M330 150 Q400 80 470 150 Q400 200 330 150 Z" fill="${dark}"/>
  <line x1="400" y1="175" x2="400" y2="500" stroke="${dark}" stroke-width="6"/>
  ${extra}`;
}

export const DEMO_PRODUCT_PICTURES: Record<string, string> = {
  "ao-mua-sieu-nhe": scene(OUTERWEAR, jacket("#f2b632", "#b07d12", `<circle cx="385" cy="230" r="6" fill="#b07d12"/><circle cx="385" cy="300" r="6" fill="#b07d12"/><circle cx="385" cy="370" r="6" fill="#b07d12"/>
    <path d="M600 90 q8 18 0 26 q-8 -8 0 -26z M650 140 q8 18 0 26 q-8 -8 0 -26z M180 100 q8 18 0 26 q-8 -8 0 -26z" fill="#5b9bd5"/>`)),
  "ao-khoac-gio": scene(OUTERWEAR, jacket("#2f7d6d", "#1c4d43", `<rect x="285" y="300" width="80" height="14" rx="7" fill="#1c4d43"/><rect x="435" y="300" width="80" height="14" rx="7" fill="#1c4d43"/>
    <path d="M120 200 q60 -20 120 0 M110 240 q70 -20 140 0 M560 420 q60 -20 120 0" stroke="#7fa8c9" stroke-width="8" fill="none" stroke-linecap="round"/>`)),
  "ao-len-merino": scene(OUTERWEAR, `<path d="M300 160 L240 180 L180 360 L235 375 L280 260 L280 500 L520 500 L520 260 L565 375 L620 360 L560 180 L500 160 Q400 220 300 160 Z" fill="#b5523b" stroke="#7c3322" stroke-width="6" stroke-linejoin="round"/>
    <rect x="280" y="470" width="240" height="30" fill="#7c3322"/><path d="M290 330 h220 M290 360 h220" stroke="#e7b9a9" stroke-width="8" stroke-dasharray="16 12"/>`),
  "binh-giu-nhiet": scene(KITCHEN, `<rect x="330" y="150" width="140" height="360" rx="40" fill="#8fa3ad" stroke="#4f6069" stroke-width="6"/>
    <rect x="345" y="110" width="110" height="60" rx="14" fill="#2d3a40"/><rect x="340" y="250" width="120" height="120" rx="8" fill="#c9d5da"/>
    <path d="M360 90 q10 -30 0 -50 M400 90 q10 -30 0 -50 M440 90 q10 -30 0 -50" stroke="#b9a58d" stroke-width="6" fill="none" stroke-linecap="round"/>`),
  "phin-ca-phe": scene(KITCHEN, `<path d="M250 410 h300 l-30 90 h-240 z" fill="#f4f1ec" stroke="#8a6a4f" stroke-width="6"/>
    <rect x="230" y="380" width="340" height="30" rx="10" fill="#9aa7b0"/><path d="M300 210 h200 l-20 170 h-160 z" fill="#b8c3ca" stroke="#6c7a83" stroke-width="6"/>
    <rect x="290" y="180" width="220" height="34" rx="12" fill="#6c7a83"/><path d="M400 420 v40" stroke="#5a3a22" stroke-width="10" stroke-linecap="round"/>`),
  "may-xay-tay": scene(KITCHEN, `<rect x="320" y="250" width="160" height="250" rx="20" fill="#a0714f" stroke="#6b4428" stroke-width="6"/>
    <rect x="310" y="210" width="180" height="50" rx="10" fill="#8d99a0"/><rect x="395" y="130" width="10" height="80" fill="#4f5b61"/>
    <path d="M400 135 h150" stroke="#4f5b61" stroke-width="12" stroke-linecap="round"/><circle cx="555" cy="135" r="22" fill="#6b4428"/><rect x="340" y="420" width="120" height="50" rx="8" fill="#6b4428"/>`),
  "leu-hai-nguoi": scene(OUTDOOR, `<path d="M150 500 L400 170 L650 500 Z" fill="#3f8f5a" stroke="#27603b" stroke-width="6" stroke-linejoin="round"/>
    <path d="M340 500 L400 300 L460 500 Z" fill="#27603b"/><path d="M400 170 L400 120" stroke="#5b4633" stroke-width="8"/>
    <circle cx="640" cy="120" r="40" fill="#f2c94c"/>`),
  "den-cam-trai": scene(OUTDOOR, `<path d="M360 150 q40 -70 80 0" stroke="#3d3d3d" stroke-width="10" fill="none"/><rect x="340" y="150" width="120" height="40" rx="10" fill="#3d3d3d"/>
    <rect x="350" y="190" width="100" height="230" rx="14" fill="#fff3b0" stroke="#3d3d3d" stroke-width="6"/><circle cx="400" cy="300" r="140" fill="#f2c94c" opacity="0.25"/>
    <rect x="340" y="420" width="120" height="60" rx="10" fill="#3d3d3d"/>`),
  "ghe-xep": scene(OUTDOOR, `<path d="M290 260 h220 v150 h-220 z" fill="#d0632f" stroke="#8e3f1a" stroke-width="6"/><path d="M300 150 h200 v120 h-200 z" fill="#e07a43" stroke="#8e3f1a" stroke-width="6"/>
    <path d="M300 410 L500 500 M500 410 L300 500" stroke="#6f7a80" stroke-width="12" stroke-linecap="round"/>`),
  "tui-ngu-cu": scene(OUTDOOR, `<rect x="200" y="300" width="400" height="170" rx="85" fill="#5d7fb0" stroke="#344f78" stroke-width="6"/>
    <circle cx="285" cy="385" r="55" fill="#344f78"/><path d="M340 300 v170 M420 300 v170 M500 300 v170" stroke="#7f9cc7" stroke-width="6"/>`),
};

/** After seeding: each demo product without a picture gets its illustration. */
export async function pictureSeededProducts(services: Pick<Services, "db" | "storage" | "clock"> & Partial<Services>) {
  const admin = await services.db.user.findFirst({ where: { role: "admin", deletedAt: null }, select: { id: true, role: true } });
  if (!admin) return 0;
  const products = await services.db.product.findMany({ where: { slug: { in: Object.keys(DEMO_PRODUCT_PICTURES) }, imageKey: null }, select: { id: true, slug: true } });
  // The server passes its own services; the seed command has no dispatcher to wake (and the upload publishes nothing).
  const asAdmin = services.outbox ? (services as Services) : ({ ...services, outbox: { kick() {} } } as Services);
  let pictured = 0;
  for (const product of products) {
    const png = await sharp(Buffer.from(DEMO_PRODUCT_PICTURES[product.slug]!)).png().toBuffer();
    const result = await uploadProductImage(asAdmin, admin, { productId: product.id, file: { bytes: png } });
    if (result.ok) pictured += 1;
  }
  return pictured;
}
