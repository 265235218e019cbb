import type { DocumentSource } from '@folio/documents';
import { textLayerLines } from '@folio/documents';
import { ocrPage, packRegions, readImageRegions, textLayerPage, type OcrEngine, type OcrPage } from '@folio/ocr';

/**
 * One page: from the PDF's text layer when it can be trusted (image regions OCR'd in place), else
 * rendered and OCR'd, as the pipeline's render and recognize stages decide. `engine` is called
 * only when a page needs OCR. (The CLI and the accuracy bench read pages this way.)
 */
export async function readPage(
  doc: DocumentSource,
  i: number,
  args: { dpi: number; ocr: 'auto' | 'force' },
  engine: () => Promise<OcrEngine>,
): Promise<OcrPage> {
  const layer = args.ocr === 'auto' && doc.readTextLayer ? await doc.readTextLayer(i, { dpi: args.dpi }) : undefined;
  if (layer && layer.verdict.source !== 'ocr') {
    const { main, offAxis } = textLayerLines(layer);
    const base = { width: layer.width, height: layer.height, dpi: layer.dpi, main, offAxis };
    if (layer.verdict.source === 'text_layer') return textLayerPage({ ...base, source: 'text_layer' });
    // Only the image regions are rendered, unless one is too large for a sheet: then the page
    // (the render stage of the service decides the same way).
    const regions = doc.renderRegions ? await doc.renderRegions(i, layer.verdict.imageRegions, { dpi: args.dpi }) : undefined;
    const sheet = regions && packRegions(regions, Math.max(layer.width, layer.height));
    const source = sheet ? { sheet } : { page: await doc.renderPage(i, { dpi: args.dpi }) };
    const ocr = await readImageRegions(await engine(), source, layer.verdict.imageRegions, layer.words.map((w) => w.quad), layer.dpi);
    return textLayerPage({ ...base, source: 'mixed', reason: layer.verdict.reason ?? 'image_regions', ocrLines: ocr.lines });
  }
  const raster = await doc.renderPage(i, { dpi: args.dpi });
  const page = await (await engine()).recognize(raster, { dpi: raster.dpi });
  const reason = layer?.verdict.reason ?? (args.ocr === 'force' && doc.readTextLayer ? 'force_ocr' : undefined);
  return ocrPage(page, reason);
}

