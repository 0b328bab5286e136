// Builds the visitor widget into dist/widget/ and the cabinet into dist/cabinet/.
//   node scripts/build.mjs            production build (minified)
//   node scripts/build.mjs --dev      unminified, with inline source maps
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const out = join(root, "dist");
const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev ? "inline" : false,
  target: "es2019",
  legalComments: "none",
  logLevel: "warning",
  charset: "utf8",
};
const hash = (file) => createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 10);
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

// Budgets from PRODUCT.md §12: loader ≤ 5 KB gzip, the whole widget ≤ 30 KB gzip.
const LOADER_BUDGET = 5 * 1024;
const WIDGET_BUDGET = 30 * 1024;
// The cabinet's app.js + app.css, gzip: about 90 KB today.
const CABINET_BUDGET = 120 * 1024;
// The Аналитика page's charts (uPlot), loaded when the page opens: about 22 KB gzip.
const CHARTS_BUDGET = 30 * 1024;

// Precompressed twins (.gz, .br) beside each text file, which the local runner serves to
// browsers that accept them; CloudFront compresses on its own.
function precompress(dir, names) {
  for (const name of names) {
    const data = readFileSync(join(dir, name));
    writeFileSync(join(dir, `${name}.gz`), gzipSync(data, { level: 9 }));
    writeFileSync(join(dir, `${name}.br`), brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

async function visitor() {
  const dir = join(out, "widget");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await build({ ...common, entryPoints: [join(root, "visitor/src/widget.ts")], outfile: join(dir, "widget.js"), format: "iife" });
  // The loader asks for widget.js?v=<hash> so a CDN may cache both forever.
  await build({
    ...common,
    entryPoints: [join(root, "visitor/src/loader.ts")],
    outfile: join(dir, "loader.js"),
    format: "iife",
    define: { __WIDGET_VERSION__: JSON.stringify(hash(join(dir, "widget.js"))) },
  });
  const loader = gz(join(dir, "loader.js"));
  const widget = gz(join(dir, "widget.js"));
  console.log(`dist/widget/loader.js  ${loader} B gzip (budget ${LOADER_BUDGET})`);
  console.log(`dist/widget/widget.js  ${widget} B gzip (loader + widget budget ${WIDGET_BUDGET})`);
  if (loader > LOADER_BUDGET || loader + widget > WIDGET_BUDGET) throw new Error("widget size budget exceeded");
  precompress(dir, ["loader.js", "widget.js"]);
}

async function cabinet() {
  const dir = join(out, "cabinet");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await build({
    ...common,
    entryPoints: [join(root, "cabinet/src/charts.ts")],
    outfile: join(dir, "charts.js"),
    format: "iife",
    loader: { ".css": "text" },
  });
  await build({
    ...common,
    entryPoints: [join(root, "cabinet/src/main.tsx")],
    outfile: join(dir, "app.js"),
    format: "iife",
    jsx: "automatic",
    jsxImportSource: "preact",
    define: {
      "process.env.NODE_ENV": dev ? '"development"' : '"production"',
      __CHARTS_URL__: JSON.stringify(`/charts.js?v=${hash(join(dir, "charts.js"))}`),
    },
  });
  await build({ ...common, entryPoints: [join(root, "cabinet/src/app.css")], outfile: join(dir, "app.css") });
  copyFileSync(join(root, "cabinet/public/favicon.svg"), join(dir, "favicon.svg"));
  const html = readFileSync(join(root, "cabinet/index.html"), "utf8")
    .replace("/app.js", `/app.js?v=${hash(join(dir, "app.js"))}`)
    .replace("/app.css", `/app.css?v=${hash(join(dir, "app.css"))}`);
  writeFileSync(join(dir, "index.html"), html);
  const js = gz(join(dir, "app.js"));
  const css = gz(join(dir, "app.css"));
  console.log(`dist/cabinet/app.js    ${js} B gzip`);
  const charts = gz(join(dir, "charts.js"));
  console.log(`dist/cabinet/app.css   ${css} B gzip (app.js + app.css budget ${CABINET_BUDGET})`);
  console.log(`dist/cabinet/charts.js ${charts} B gzip (loaded by Аналитика; budget ${CHARTS_BUDGET})`);
  if (js + css > CABINET_BUDGET) throw new Error("cabinet size budget exceeded");
  if (charts > CHARTS_BUDGET) throw new Error("charts size budget exceeded");
  precompress(dir, ["app.js", "app.css", "charts.js", "index.html", "favicon.svg"]);
}

const only = process.argv.find((a) => a === "visitor" || a === "cabinet");
try {
  if (!only || only === "visitor") await visitor();
  if (!only || only === "cabinet") await cabinet();
} catch (e) {
  console.error(e.message || e);
  process.exit(1);
}
