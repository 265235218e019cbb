import { z } from 'zod';
import type { Block, Line, OcrPage, Quad, Word } from '@folio/ocr';

/**
 * zod mirror of the engine's canonical page (`@folio/ocr` page.ts), for reading the JSON back
 * from the database or a queue: a row written by an older worker must fail loudly here, not deep
 * inside a mapper. Compile-time checks below keep it equal to `OcrPage` both ways.
 */

const coordinate = z.number();
export const pointSchema = z.tuple([coordinate, coordinate]);
export const quadSchema = z.tuple([pointSchema, pointSchema, pointSchema, pointSchema]);
const confidence = z.number().min(0).max(1);

export const wordSchema = z.object({
  text: z.string(),
  confidence,
  quad: quadSchema,
  origin: z.enum(['text_layer', 'ocr']).optional(),
});

export const lineSchema = z.object({
  text: z.string(),
  confidence,
  quad: quadSchema,
  words: z.array(wordSchema),
});

export const blockKindSchema = z.enum(['paragraph', 'heading', 'table', 'list']);

export const blockSchema = z
  .object({
    kind: blockKindSchema,
    quad: quadSchema,
    lines: z.array(lineSchema),
    table: z.object({ rows: z.array(z.array(z.array(z.int().min(0)))) }).optional(),
  })
  .superRefine((block, ctx) => {
    // A table cell points into `lines`; an index past the end would silently drop text later.
    block.table?.rows.forEach((row, r) =>
      row.forEach((cell, c) =>
        cell.forEach((index, k) => {
          if (index >= block.lines.length) {
            ctx.addIssue({
              code: 'custom',
              path: ['table', 'rows', r, c, k],
              message: `Cell line index ${index} is past the block's ${block.lines.length} lines.`,
            });
          }
        }),
      ),
    );
  });

export const rotationSchema = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);

const readingEvidenceSchema = z.object({ rotation: rotationSchema, confidence, plainShare: z.number().min(0).max(1) });

export const orientationEvidenceSchema = z.object({
  decidedBy: z.enum(['given', 'no-text', 'classifier', 'recognizer', 'unsure']),
  geometry: z.union([z.literal(0), z.literal(90)]),
  lines: z.int().min(0),
  distinct: z.int().min(0),
  chars: z.int().min(0),
  classifierTurned: z.number().min(0).max(1),
  readings: z.tuple([readingEvidenceSchema, readingEvidenceSchema]).optional(),
});

export const pageWarningSchema = z.object({ kind: z.literal('uncovered-ink'), quad: quadSchema, inkShare: z.number().min(0).max(1) });

/** The canonical page result as stored in `Page.result`. */
export const ocrPageSchema = z.object({
  width: z.number().positive(),
  height: z.number().positive(),
  dpi: z.number().positive(),
  rotation: rotationSchema,
  orientation: orientationEvidenceSchema.optional(),
  warnings: z.array(pageWarningSchema).optional(),
  source: z.enum(['text_layer', 'ocr', 'mixed']).optional(),
  sourceReason: z.string().optional(),
  blocks: z.array(blockSchema),
  timings: z.record(z.string(), z.number()).optional(),
});

/** Parses stored JSON into an `OcrPage`; throws a `ZodError` naming the first bad field. */
export function parseOcrPage(json: unknown): OcrPage {
  return ocrPageSchema.parse(json);
}

// ---- compile-time equality with the engine's types ----------------------------------------
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type _CanonicalChecks = [
  Assert<Equals<z.infer<typeof quadSchema>, Quad>>,
  Assert<Equals<z.infer<typeof wordSchema>, Word>>,
  Assert<Equals<z.infer<typeof lineSchema>, Line>>,
  Assert<Equals<z.infer<typeof blockSchema>, Block>>,
  Assert<Equals<z.infer<typeof ocrPageSchema>, OcrPage>>,
  // Mutual assignability as well, in case `Equals` is fooled by property modifiers.
  Assert<z.infer<typeof ocrPageSchema> extends OcrPage ? true : false>,
  Assert<OcrPage extends z.infer<typeof ocrPageSchema> ? true : false>,
];
