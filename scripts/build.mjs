#!/usr/bin/env node
// `npm run build`: bundles the entry points and the thread entry points into dist/ with esbuild,
// so `npm start`, `npm run api|worker`, the `folio` bin and the images run plain JavaScript on
// Node (no tsx: measured 0.4–1.7 CPU-s less per process start and 0.5–0.65 CPU-s less per engine
// or render thread start; README, "Start-up cost").
//
// Only Folio's own code (relative imports and @folio/*) is bundled; every npm package stays an
// import from node_modules (native addons, pdfjs workers, Prisma's wasm and BullMQ's Lua files
// load from their own directories). Each module's `import.meta.url` is rewritten to the URL of
// its source file, computed relative to the bundle at run time, so files found next to the
// sources (review UI, calibration ranges, prisma/migrations) resolve as they do under tsx:
// ship apps/, libs/ and prisma/ beside dist/.
//
// Plain JavaScript on purpose: it runs in a production install, where esbuild is absent and an
// existing dist/ is used as is (`npm start` runs it first).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');

/** Output name (dist/<name>.js) → source; thread entries are found by these names at run time. */
const entryPoints = JSON.parse(readFileSync(join(root, 'scripts', 'build.entries.json'), 'utf8'));

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  if (existsSync(join(outdir, 'api.js'))) process.exit(0);
  console.error('folio: dist/ is missing and esbuild is not installed; run `npm ci && npm run build` (dev dependencies) first');
  process.exit(1);
}

/** Bundle @folio/* and relative imports; leave every other bare import to node_modules. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@folio/') || args.kind === 'entry-point') return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** `import.meta.url` → the source file's URL, relative to the bundle file (all outputs sit in dist/). */
const sourceUrls = {
  name: 'source-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      let contents = readFileSync(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const rel = relative(outdir, args.path).split('\\').join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      }
      return { contents, loader: 'ts' };
    });
  },
};

const started = performance.now();
// Chunk names change with their contents: start empty so stale chunks never pile up.
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Chunks stay in dist/ itself: the rewritten import.meta.url is relative to dist/.
  chunkNames: '[name]-[hash]',
  // Thread spawners find their built entry files in dist/ through this (spawnWorker in
  // libs/ocr/src/pool/engine.pool.ts, spawnThread in apps/worker/src/render/render.pool.ts).
  banner: { js: "globalThis.folioDist ??= new URL('.', import.meta.url).href;" },
  plugins: [externalPackages, sourceUrls],
  logLevel: 'warning',
  metafile: false,
});
if (!process.argv.includes('--quiet')) console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
