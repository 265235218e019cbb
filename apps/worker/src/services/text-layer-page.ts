import { z } from 'zod';
import { textLayerLines, type TextLayerPage } from '@folio/documents';
import { readRegions, textLayerPage, type OcrEngine, type OcrPage, type Raster } from '@folio/ocr';

const point = z.tuple([z.number(), z.number()]);
const quad = z.tuple([point, point, point, point]);

/**
 * The part of a stored `TextLayerPage` (render writes it to S3 beside the page) that recognize
 * reads back: checked here, since a file written by another worker version is outside input.
 */
export const storedTextLayerSchema = z.object({
  width: z.number().positive(),
  height: z.number().positive(),
  dpi: z.number().positive(),
  words: z.array(z.object({ text: z.string(), quad, confidence: z.literal(1), run: z.number() })),
  verdict: z.object({
    source: z.enum(['text_layer', 'ocr', 'mixed']),
    reason: z.string().optional(),
    imageRegions: z.array(z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })),
  }),
});
export type StoredTextLayer = z.infer<typeof storedTextLayerSchema>;

export function parseStoredTextLayer(bytes: Uint8Array): StoredTextLayer {
  return storedTextLayerSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
}

/**
 * The canonical page of a page with a text layer the render stage trusted: its words alone
 * (`text_layer`), or with its image regions OCR'd from `raster` (`mixed`; words the text layer
 * already holds dropped). Not for `ocr` verdicts: those pages are OCR'd whole.
 */
export async function pageFromTextLayer(
  layer: StoredTextLayer | TextLayerPage,
  read?: { engine: Pick<OcrEngine, 'recognize'>; raster: Raster },
): Promise<OcrPage> {
  const { main, offAxis } = textLayerLines(layer);
  const base = { width: layer.width, height: layer.height, dpi: layer.dpi, main, offAxis };
  if (layer.verdict.source !== 'mixed' || !read) return textLayerPage({ ...base, source: 'text_layer' });
  const ocr = await readRegions(read.engine, read.raster, layer.verdict.imageRegions, layer.words.map((w) => w.quad), layer.dpi);
  return {
    ...textLayerPage({ ...base, source: 'mixed', reason: layer.verdict.reason ?? 'image_regions', ocrLines: ocr.lines }),
    timings: ocr.timings,
  };
}
