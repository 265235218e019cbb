import { z } from 'zod';
import type { ExtractorModel } from './extraction.model.ts';

/**
 * A stored extractor version as read back from storage: checked before its weights are compiled,
 * so a truncated or foreign file fails with the field that is wrong, not deep inside prediction.
 * Fields added since a format was first stored (shapes, region) are optional: older versions
 * still load and are scored as they were trained.
 */
const matrix = z.array(z.array(z.number()));
const network = z.object({ mean: z.array(z.number()), scale: z.array(z.number()), w1: matrix, b1: z.array(z.number()), w2: matrix, b2: z.array(z.number()) });
const shared = {
  categories: z.array(z.string()),
  vocabulary: z.array(z.string()),
  multiLine: z.array(z.boolean()),
  multiValued: z.array(z.boolean()),
  trimShapes: z.array(z.array(z.string())),
  calibration: z.array(z.array(z.tuple([z.number(), z.number()]))),
};
const shares = z.record(z.string(), z.number());
const trees = z.object({ edges: matrix, base: z.array(z.number()), trees: z.array(matrix) });

export const extractorModelSchema = z.discriminatedUnion('format', [
  z.object({ format: z.literal('folio-fields-mlp/1'), ...shared, network }),
  z.object({
    format: z.literal('folio-fields-spans/1'),
    ...shared,
    limits: z.object({ maxWords: z.number().int().positive(), maxLines: z.number().int().positive() }),
    shapes: z.array(z.object({ collapsed: shares, exact: shares, grams: shares, chars: z.number() })).optional(),
    region: z.boolean().optional(),
    boundary: z.boolean().optional(),
    memory: z.array(z.object({ values: z.array(z.string()) })).optional(),
    network: network.optional(),
    trees: trees.optional(),
  }),
]).refine((m) => m.format !== 'folio-fields-spans/1' || m.trees !== undefined || m.network !== undefined, { message: 'a span model needs its trees or its network' });

export function parseExtractorModel(json: unknown): ExtractorModel {
  return extractorModelSchema.parse(json) satisfies ExtractorModel;
}
