import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocumentInitParameters } from 'pdfjs-dist/types/src/display/api.js';

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

/** pdfjs document options shared by every open: assets, no eval of font programs, quiet logs. */
export function pdfjsParameters(data: Uint8Array): DocumentInitParameters {
  assets ??= assetParameters();
  return {
    ...assets,
    data,
    // Font programs are untrusted input; never compile them to JS.
    isEvalSupported: false,
    // 0 = errors only: warnings about sloppy but readable files would flood worker logs.
    verbosity: 0,
  };
}

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<Pdfjs> | undefined;

/** Loads pdfjs on first use: importing it costs ~100 ms that image-only callers need not pay. */
export function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}
