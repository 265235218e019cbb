import { z } from 'zod';

/** Aggregation levels of the NeMo Retriever OCR card (`line` accepted as a synonym of `sentence`). */
export const nimMergeLevelSchema = z
  .enum(['word', 'sentence', 'line', 'paragraph'])
  .transform((level) => (level === 'line' ? 'sentence' : level));
export type NimMergeLevel = 'word' | 'sentence' | 'paragraph';

/**
 * Default level when `merge_levels` is absent: `sentence` (one detection per text line), which is
 * what the seed's sample response shows.
 */
export const NIM_DEFAULT_MERGE_LEVEL: NimMergeLevel = 'sentence';

/** One image: the only supported `type` is `image_url`, the `url` a base64 data URL. */
export const nimInputSchema = z.object({
  type: z.literal('image_url', { error: 'The only supported input type is "image_url".' }),
  url: z.string(),
});

/** Body of `POST /v1/infer`. `merge_levels`: one level for all images or one per image. */
export const nimInferRequestSchema = z
  .object({
    input: z.array(nimInputSchema).min(1, 'input must hold at least one image.'),
    merge_levels: z.array(nimMergeLevelSchema).min(1).optional(),
  })
  .superRefine((body, ctx) => {
    const n = body.merge_levels?.length;
    if (n !== undefined && n !== 1 && n !== body.input.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['merge_levels'],
        message: `merge_levels must hold one level or one per image (${body.input.length}), not ${n}.`,
      });
    }
  });
export type NimInferRequest = z.output<typeof nimInferRequestSchema>;

/** The level for each image of a request, in input order. */
export function nimMergeLevels(request: NimInferRequest): NimMergeLevel[] {
  const levels = request.merge_levels;
  return request.input.map((_, i) => levels?.[levels.length === 1 ? 0 : i] ?? NIM_DEFAULT_MERGE_LEVEL);
}
