import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentInitParameters } from 'pdfjs-dist/types/src/display/api.js';
import { fontSinkDocument } from './pdf.font-sink.ts';
import { readsWithoutProgram } from './pdf.read-fonts.ts';
import { patchWorkerSource, READ_FONT_HOOK } from './pdf.worker-patch.ts';

/**
 * Where pdfjs finds its data files on disk. Without `standardFontDataUrl`, text in the 14
 * standard fonts (not embedded by most generators) renders as nothing; without the CMaps,
 * CJK text does. In Node pdfjs reads these with `fs`, so plain paths with a trailing slash work.
 */
function assetParameters(): Pick<DocumentInitParameters, 'standardFontDataUrl' | 'cMapUrl' | 'cMapPacked' | 'wasmUrl' | 'iccUrl'> {
  const require = createRequire(import.meta.url);
  // The legacy build is the one that runs on Node 20 (see shared/NOTES.md).
  const root = join(dirname(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')), '..', '..');
  return {
    standardFontDataUrl: join(root, 'standard_fonts') + '/',
    cMapUrl: join(root, 'cmaps') + '/',
    cMapPacked: true,
    wasmUrl: join(root, 'wasm') + '/',
    iccUrl: join(root, 'iccs') + '/',
  };
}

let assets: ReturnType<typeof assetParameters> | undefined;

/**
 * What a pdfjs document is opened for: `render` builds glyph outlines as it reads the content (the
 * canvas in Node paints text as paths); `read` (text layer, operator list) skips them, for about a
 * fifth of the reading cost, and skips converting the font programs where reading does not need
 * them (`pdf.read-fonts.ts`); such a document must never render (its text would paint as nothing).
 */
export type PdfjsUse = 'render' | 'read';

/** pdfjs document options shared by every open: assets, no eval of font programs, quiet logs. */
export function pdfjsParameters(data: Uint8Array, use: PdfjsUse = 'render'): DocumentInitParameters {
  assets ??= assetParameters();
  return {
    ...assets,
    ...(use === 'read' ? { disableFontFace: false, ownerDocument: fontSinkDocument() } : { disableFontFace: true }),
    data,
    // Font programs are untrusted input; never compile them to JS.
    isEvalSupported: false,
    // 0 = errors only: warnings about sloppy but readable files would flood worker logs.
    verbosity: 0,
  };
}

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<Pdfjs> | undefined;

/**
 * tsx (which runs our entry points) rewrites every module containing `import(` and attaches
 * a fine-grained source map; for pdfjs's 3 MB of bundles that costs ~400 MB of RSS per
 * process. A URL tagged with a namespace other than tsx's own is passed straight to Node's
 * loader (tsx keeps namespaced registrations apart this way), so pdfjs loads as plain
 * JavaScript. Under plain Node the query is harmless. The minified builds carry no
 * `sourceMappingURL`, so Node does not parse their 7 MB of maps either.
 * Measured: open + render one page under tsx, 507 MB RSS → 125 MB.
 */
const PLAIN_LOAD = '?tsx-namespace=folio-plain';

async function importPdfjs(): Promise<Pdfjs> {
  const require = createRequire(import.meta.url);
  const url = (specifier: string): string => pathToFileURL(require.resolve(specifier)).href + PLAIN_LOAD;
  const nativePush = Array.prototype.push;
  const lib = (await import(url('pdfjs-dist/legacy/build/pdf.min.mjs'))) as Pdfjs;
  // In Node pdfjs runs its worker in-process ("fake worker"). Imported here rather than by pdfjs
  // on the first document (it then finds it as `globalThis.pdfjsWorker`), so that its polyfills
  // are in place before the line below; workerSrc stays set for pdfjs's own fallback.
  const worker = require.resolve('pdfjs-dist/legacy/build/pdf.worker.min.mjs');
  if (!(await importPatchedWorker(worker))) await import(url('pdfjs-dist/legacy/build/pdf.worker.min.mjs'));
  lib.GlobalWorkerOptions.workerSrc = url('pdfjs-dist/legacy/build/pdf.worker.min.mjs');
  restoreNativePush(nativePush);
  return lib;
}

/**
 * Loads the worker with the read-font hook added (`pdf.worker-patch.ts`), from a private
 * directory of its own (never a shared path another user could have written), removed once Node
 * has read it. False when the source could not be patched or loaded: the stock worker loads then.
 */
async function importPatchedWorker(workerPath: string): Promise<boolean> {
  const patched = patchWorkerSource(await readFile(workerPath, 'utf8'));
  if (!patched) return false;
  Object.defineProperty(globalThis, Symbol.for(READ_FONT_HOOK), { value: readsWithoutProgram, configurable: true, writable: true });
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'folio-pdfjs-'));
    const file = join(dir, 'pdf.worker.min.mjs');
    await writeFile(file, patched, { mode: 0o600 });
    await import(pathToFileURL(file).href + PLAIN_LOAD);
    return true;
  } catch {
    return false;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * The legacy builds bundle core-js, which replaces `Array.prototype.push` process-wide with a
 * JavaScript version when the engine does not throw on `push()` to an array whose length is not
 * writable (V8 in Node 20 does not). That edge case never arises in pdfjs or here, and the
 * replacement made every push in the process (pdfjs's parsers, our text-layer code, the OCR
 * engine's glue) ~2× slower: ~0.4 CPU-s of 7.5 on the 22 dev PDF pages.
 */
function restoreNativePush(nativePush: typeof Array.prototype.push): void {
  if (Array.prototype.push === nativePush) return;
  Object.defineProperty(Array.prototype, 'push', { value: nativePush, writable: true, configurable: true, enumerable: false });
}

/** Loads pdfjs on first use: image-only callers never pay for it. */
export function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= importPdfjs();
  return pdfjs;
}

/** Loads pdfjs now rather than on the first PDF, so a render thread's first page is not slower than the rest. */
export async function preloadPdfRenderer(): Promise<void> {
  await loadPdfjs();
}
