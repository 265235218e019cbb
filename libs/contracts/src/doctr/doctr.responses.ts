import { z } from 'zod';
import type { Line, OcrPage, Quad, Word } from '@folio/ocr';
import { boundsOf, clamp, mean, toUprightQuad, uprightSize } from '@folio/ocr/geometry';
import type { DoctrQuery } from './doctr.requests.ts';
import type { DoctrLanguage } from './doctr.language.ts';

/**
 * Response of `POST /ocr`, field names as the seed (Trace's docTR API): `pages`,
 * `detection_score`, `text_orientation` (docTR's own template says `items`, `objectness_score`,
 * `crop_orientation`). Geometry is relative to the page, in [0, 1]: `[xmin, ymin, xmax, ymax]`
 * for straight pages, eight numbers `[x1, y1, ..., x4, y4]` (clockwise from the text's
 * top-left) when `assume_straight_pages=false`.
 */
const geometrySchema = z.array(z.number().min(0).max(1)).refine((g) => g.length === 4 || g.length === 8, {
  message: 'geometry has 4 numbers (box) or 8 (polygon).',
});
const scoredValue = z.looseObject({ value: z.number().nullable().optional(), confidence: z.number().nullable().optional() });

export const doctrWordSchema = z.looseObject({
  value: z.string(),
  geometry: geometrySchema,
  detection_score: z.number(),
  confidence: z.number(),
  text_orientation: scoredValue,
});
export const doctrLineSchema = z.looseObject({
  geometry: geometrySchema,
  detection_score: z.number(),
  words: z.array(doctrWordSchema),
});
export const doctrBlockSchema = z.looseObject({
  geometry: geometrySchema,
  detection_score: z.number(),
  lines: z.array(doctrLineSchema),
});
export const doctrPageSchema = z.looseObject({ blocks: z.array(doctrBlockSchema) });

export const doctrResultSchema = z.looseObject({
  name: z.string(),
  /** Page angle in degrees, counter-clockwise as docTR reports it; null when not detected. */
  orientation: scoredValue,
  language: z.looseObject({ value: z.string().nullable().optional(), confidence: z.number().nullable().optional() }),
  /** `[height, width]` in pixels, as docTR reports page dimensions. */
  dimensions: z.tuple([z.int(), z.int()]),
  pages: z.array(doctrPageSchema),
});
export const doctrResponseSchema = z.array(doctrResultSchema);

export type DoctrWord = z.infer<typeof doctrWordSchema>;
export type DoctrLine = z.infer<typeof doctrLineSchema>;
export type DoctrBlock = z.infer<typeof doctrBlockSchema>;
export type DoctrResult = z.infer<typeof doctrResultSchema>;
export type DoctrResponse = z.infer<typeof doctrResponseSchema>;

/** The options `doctrResponse` reads; a parsed `DoctrQuery` fits. */
export type DoctrShapeOptions = Pick<
  DoctrQuery,
  'assume_straight_pages' | 'straighten_pages' | 'detect_orientation' | 'detect_language' | 'group_lines' | 'group_blocks'
> &
  Partial<Pick<DoctrQuery, 'paragraph_break'>>;

/** One page to answer: the uploaded file's name and the page's canonical result. */
export interface DoctrPageView {
  name: string;
  page: OcrPage;
}

/** docTR angle: the page's counter-clockwise turn in (-180, 180]; Folio stores a clockwise one. */
function doctrAngle(rotation: OcrPage['rotation']): number {
  return rotation === 0 ? 0 : rotation === 180 ? 180 : rotation === 90 ? -90 : 90;
}

/**
 * One entry per page (a 3-page PDF gives three entries with the same `name`), each holding one
 * page, as docTR's API answers. With `straighten_pages` the geometry and dimensions are those of
 * the upright page; otherwise those of the page as uploaded.
 */
export function doctrResponse(pages: readonly DoctrPageView[], options: DoctrShapeOptions): DoctrResponse {
  return pages.map(({ name, page }) => doctrResult(name, page, options));
}

/** Seed default of `paragraph_break`. */
const PARAGRAPH_BREAK = 0.0035;

/**
 * The page's lines in blocks for `group_blocks`, as the seed defines `paragraph_break`: lines in
 * reading order, a new block wherever the vertical gap between a line and the block above it is
 * larger than `paragraphBreak` × the page height. Folio's layout still decides what may share a
 * block: lines of another column (no horizontal overlap) and tables start their own. Gaps are
 * measured on the upright page, so a turned page groups as its upright self.
 */
export function paragraphBlocks(page: OcrPage, paragraphBreak: number): Line[][] {
  const limit = paragraphBreak * uprightSize(page.rotation, page.width, page.height).height;
  const boundsUpright = (q: Quad) => boundsOf([page.rotation === 0 ? q : toUprightQuad(q, page.rotation, page.width, page.height)]);
  const out: Line[][] = [];
  let current: Line[] = [];
  let box = { xmin: 0, xmax: 0, ymax: 0 };
  let closed = true;
  for (const block of page.blocks) {
    const table = block.kind === 'table';
    if (table) closed = true;
    for (const line of block.lines) {
      if (line.text === '' && line.words.length === 0) continue;
      const b = boundsUpright(line.quad);
      if (!b) continue;
      const sameColumn = b.xmin < box.xmax && b.xmax > box.xmin;
      if (closed || (!table && (!sameColumn || b.ymin - box.ymax > limit))) {
        if (current.length > 0) out.push(current);
        current = [];
        box = { xmin: b.xmin, xmax: b.xmax, ymax: b.ymax };
        closed = false;
      }
      current.push(line);
      box = { xmin: Math.min(box.xmin, b.xmin), xmax: Math.max(box.xmax, b.xmax), ymax: Math.max(box.ymax, b.ymax) };
    }
    // Nothing joins a table, and a column's block ends where Folio's layout ends it on another column.
    if (table) closed = true;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * One docTR entry for a page. `language` is the page's detected language (`pageLanguage`), used
 * when `detect_language` is set; nulls otherwise.
 */
export function doctrResult(name: string, page: OcrPage, options: DoctrShapeOptions, language?: DoctrLanguage): DoctrResult {
  const upright = options.straighten_pages && page.rotation !== 0;
  const size = upright ? uprightSize(page.rotation, page.width, page.height) : { width: page.width, height: page.height };
  const frame = (q: Quad): Quad => (upright ? toUprightQuad(q, page.rotation, page.width, page.height) : q);

  const geometry = (quads: readonly Quad[]): number[] => {
    const framed = quads.map(frame);
    const rx = (x: number) => clamp(x / size.width, 0, 1);
    const ry = (y: number) => clamp(y / size.height, 0, 1);
    if (!options.assume_straight_pages && framed.length === 1) return (framed[0] as Quad).flatMap(([x, y]) => [rx(x), ry(y)]);
    const b = boundsOf(framed);
    if (!b) return [0, 0, 0, 0];
    if (!options.assume_straight_pages) {
      // A group of several quads (a merged line or block): its axis-aligned outline as a polygon.
      return [rx(b.xmin), ry(b.ymin), rx(b.xmax), ry(b.ymin), rx(b.xmax), ry(b.ymax), rx(b.xmin), ry(b.ymax)];
    }
    return [rx(b.xmin), ry(b.ymin), rx(b.xmax), ry(b.ymax)];
  };

  // Folio has no separate detection score; the recognition confidence stands in for it.
  const word = (w: Word): DoctrWord => ({
    value: w.text,
    geometry: geometry([w.quad]),
    detection_score: w.confidence,
    confidence: w.confidence,
    // Text turns with the page unless the page was straightened.
    text_orientation: { value: upright ? 0 : doctrAngle(page.rotation), confidence: null },
  });
  const wordsOf = (l: Line): Word[] => (l.words.length > 0 ? l.words : [{ text: l.text, confidence: l.confidence, quad: l.quad }]);
  const lineOut = (quads: readonly Quad[], words: readonly Word[]): DoctrLine => ({
    geometry: geometry(quads),
    detection_score: mean(words.map((w) => w.confidence)),
    words: words.map(word),
  });

  const allLines = page.blocks.flatMap((b) => b.lines).filter((l) => l.text !== '' || l.words.length > 0);
  let blocks: DoctrBlock[];
  if (allLines.length === 0) {
    blocks = [];
  } else if (!options.group_lines) {
    // docTR without line grouping: one block, one line holding every word.
    const words = allLines.flatMap(wordsOf);
    const line = lineOut(words.map((w) => w.quad), words);
    blocks = [{ geometry: line.geometry, detection_score: line.detection_score, lines: [line] }];
  } else if (!options.group_blocks) {
    // docTR's default: lines grouped, all in one block.
    const lines = allLines.map((l) => lineOut([l.quad], wordsOf(l)));
    blocks = [{ geometry: geometry(allLines.map((l) => l.quad)), detection_score: mean(lines.map((l) => l.detection_score)), lines }];
  } else {
    blocks = paragraphBlocks(page, options.paragraph_break ?? PARAGRAPH_BREAK).map((group) => {
      const lines = group.map((l) => lineOut([l.quad], wordsOf(l)));
      return { geometry: geometry(group.map((l) => l.quad)), detection_score: mean(lines.map((l) => l.detection_score)), lines };
    });
  }

  return {
    name,
    orientation: options.detect_orientation ? { value: doctrAngle(page.rotation), confidence: null } : { value: null, confidence: null },
    language: options.detect_language && language ? language : { value: null, confidence: null },
    dimensions: [Math.round(size.height), Math.round(size.width)],
    pages: [{ blocks }],
  };
}
