// Unit tests of pure modules: bundles every */test/*.test.ts(x) with esbuild into
// dist/tests/*.test.mjs and runs them with node's built-in test runner (`node --test`).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist/tests");
const entries = [];
for (const ws of ["visitor", "cabinet"]) {
  const dir = join(root, ws, "test");
  for (const f of readdirSync(dir)) if (/\.test\.tsx?$/.test(f)) entries.push({ in: join(dir, f), out: `${ws}/${f.replace(/\.tsx?$/, "")}` });
}
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  jsx: "automatic",
  jsxImportSource: "preact",
  sourcemap: "inline",
  logLevel: "warning",
});
const files = entries.map((e) => join(outdir, e.out + ".mjs"));
const r = spawnSync(process.execPath, ["--enable-source-maps", "--test", ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
