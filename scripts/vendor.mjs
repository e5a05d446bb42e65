// Copies the pinned front-end libraries from node_modules into chuangwei/static/vendor
// (git-ignored). Run by `make vendor` after `npm ci`; nothing third-party is committed.
import { cpSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");
const out = join(root, "chuangwei", "static", "vendor");

const files = {
  "bootstrap/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
  "bootstrap/bootstrap.min.css.map": "bootstrap/dist/css/bootstrap.min.css.map",
  "bootstrap/bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
  "bootstrap/bootstrap.bundle.min.js.map": "bootstrap/dist/js/bootstrap.bundle.min.js.map",
  "bootstrap-icons/bootstrap-icons.min.css": "bootstrap-icons/font/bootstrap-icons.min.css",
  "bootstrap-icons/fonts": "bootstrap-icons/font/fonts",
  "echarts/echarts.min.js": "echarts/dist/echarts.min.js",
  "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
  "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
  "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
  "leaflet/images": "leaflet/dist/images",
  "leaflet-heat/leaflet-heat.js": "leaflet.heat/dist/leaflet-heat.js",
};

rmSync(out, { recursive: true, force: true });
for (const [target, source] of Object.entries(files)) {
  const from = join(nm, source);
  if (!existsSync(from)) {
    console.error(`missing ${from}: run npm ci first`);
    process.exit(1);
  }
  const to = join(out, target);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}
console.log(`vendor files copied to ${out}`);
