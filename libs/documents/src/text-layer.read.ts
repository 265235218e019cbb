import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { loadPdfjs } from './pdf.runtime.ts';
import type { RenderSize } from './pdf.render-size.ts';
import { readPageContent } from './text-layer.content.ts';
import type { Matrix } from './text-layer.geometry.ts';
import { glyphFlaws, judgePage, type PageGeometry } from './text-layer.trust.ts';
import type { PageContent, TextLayerPage } from './text-layer.types.ts';
import { buildWords } from './text-layer.words.ts';

/**
 * The words and verdict of a page's content, laid out at `size` (the render size the same page
 * gets from `renderPage`, so quads and raster agree). Pure: `readTextLayerPage` feeds it.
 */
export function judgeContent(
  content: PageContent,
  page: { view: [number, number, number, number]; rotate: number; toPixels: Matrix },
  size: RenderSize,
): TextLayerPage {
  const geometry: PageGeometry = { view: page.view, toPixels: page.toPixels, width: size.width, height: size.height };
  const flaws = glyphFlaws(content, geometry);
  const words = buildWords(content.runs, geometry.toPixels, (g) => !flaws.has(g));
  const { verdict, stats } = judgePage(content, flaws, words, geometry);
  const rotation = ((((page.rotate % 360) + 360) % 360) as TextLayerPage['pageRotation']);
  return {
    width: size.width,
    height: size.height,
    dpi: size.dpi,
    pageRotation: rotation,
    words: verdict.source === 'ocr' ? [] : words,
    verdict,
    stats,
  };
}

/**
 * Reads one pdfjs page's text layer at `size` (see `planRenderSize`): its words in page pixels
 * and whether they can be trusted. pdfjs failures come back as an `ocr` verdict with reason
 * `unreadable`, since the page may still render.
 */
export async function readTextLayerPage(page: PDFPageProxy, size: RenderSize): Promise<TextLayerPage> {
  const lib = await loadPdfjs();
  const viewport = page.getViewport({ scale: size.dpi / 72 });
  const view = page.view as [number, number, number, number];
  let content: PageContent;
  try {
    content = await readPageContent(page, lib.OPS, lib.AnnotationMode.DISABLE);
  } catch {
    content = { runs: [], images: [], fills: [], annotations: [], pathPaints: 0, emptyGlyphs: 0 };
    const empty = judgeContent(content, { view, rotate: page.rotate, toPixels: viewport.transform as Matrix }, size);
    return { ...empty, verdict: { source: 'ocr', reason: 'unreadable', imageRegions: [] } };
  }
  return judgeContent(content, { view, rotate: page.rotate, toPixels: viewport.transform as Matrix }, size);
}
