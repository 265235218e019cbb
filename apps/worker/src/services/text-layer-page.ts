import { z } from 'zod';
import { textLayerLines, type TextLayerPage } from '@folio/documents';
import { readImageRegions, textLayerPage, type OcrEngine, type OcrPage, type RegionPixelSource, type SheetSlot } from '@folio/ocr';

const point = z.tuple([z.number(), z.number()]);
const quad = z.tuple([point, point, point, point]);
const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
const pixels = z.number().int().nonnegative();

/**
 * Where a mixed page's image regions were stored by render (absent on pages it stored whole, as
 * it did before it rendered regions alone): the PNG of the sheet they are packed on (null when
 * no region lay on the page) and where each sits on it.
 */
const storedRegionSheetSchema = z
  .object({
    key: z.string().min(1).nullable(),
    slots: z.array(z.object({ region: box, x: pixels, y: pixels, width: pixels, height: pixels })),
  })
  .refine((s) => (s.key === null) === (s.slots.length === 0), { message: 'a region sheet has a PNG exactly when regions sit on it' });
export type StoredRegionSheet = z.infer<typeof storedRegionSheetSchema>;

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
    imageRegions: z.array(box),
  }),
  regionSheet: storedRegionSheetSchema.optional(),
});
export type StoredTextLayer = z.infer<typeof storedTextLayerSchema>;

export function parseStoredTextLayer(bytes: Uint8Array): StoredTextLayer {
  return storedTextLayerSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
}

/** What render stores as a page's text layer: the layer, and for a mixed page the sheet of its regions. */
export function storedTextLayerOf(layer: TextLayerPage, regionSheet: { key: string | null; slots: SheetSlot[] } | undefined): TextLayerPage & { regionSheet?: StoredRegionSheet } {
  return regionSheet ? { ...layer, regionSheet } : layer;
}

/**
 * The canonical page of a page with a text layer the render stage trusted: its words alone
 * (`text_layer`), or with its image regions OCR'd from `source` (`mixed`; words the text layer
 * already holds dropped) by the same step the CLI uses. Not for `ocr` verdicts: those pages are
 * OCR'd whole.
 */
export async function pageFromTextLayer(
  layer: StoredTextLayer | TextLayerPage,
  read?: { engine: Pick<OcrEngine, 'recognize'>; source: RegionPixelSource },
): Promise<OcrPage> {
  const { main, offAxis } = textLayerLines(layer);
  const base = { width: layer.width, height: layer.height, dpi: layer.dpi, main, offAxis };
  if (layer.verdict.source !== 'mixed' || !read) return textLayerPage({ ...base, source: 'text_layer' });
  const ocr = await readImageRegions(read.engine, read.source, layer.verdict.imageRegions, layer.words.map((w) => w.quad), layer.dpi);
  return {
    ...textLayerPage({ ...base, source: 'mixed', reason: layer.verdict.reason ?? 'image_regions', ocrLines: ocr.lines }),
    timings: ocr.timings,
  };
}
