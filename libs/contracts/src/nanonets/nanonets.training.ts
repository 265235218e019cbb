import { z } from 'zod';
import { describeZodError } from '../common/errors.ts';
import type { NanonetsTrainResponse, NanonetsUploadResponse } from './nanonets.schemas.ts';
import type { NanonetsTrainingRunView } from './nanonets.views.ts';

/** One annotated box of a training image, Nanonets' `object` entry. Coordinates are image pixels. */
export const nanonetsTrainingObjectSchema = z.looseObject({
  name: z.string().min(1),
  ocr_text: z.string().optional(),
  bndbox: z.looseObject({ xmin: z.number(), ymin: z.number(), xmax: z.number(), ymax: z.number() }),
});

/** The annotations of one training image: `{ filename, object: [...] }`. */
export const nanonetsTrainingAnnotationSchema = z.looseObject({
  filename: z.string().min(1),
  object: z.array(nanonetsTrainingObjectSchema),
});
export type NanonetsTrainingAnnotation = z.infer<typeof nanonetsTrainingAnnotationSchema>;

/** The `data` field of UploadFile / UploadUrls: a list of annotations (one object is accepted too). */
export const nanonetsTrainingDataSchema = z.union([
  z.array(nanonetsTrainingAnnotationSchema),
  nanonetsTrainingAnnotationSchema.transform((a) => [a]),
]);

export type TrainingDataResult = { ok: true; annotations: NanonetsTrainingAnnotation[] } | { ok: false; message: string };

/** Parses `data` (a JSON string, or JSON already) into annotations, with a message naming the bad field. */
export function parseNanonetsTrainingData(data: unknown): TrainingDataResult {
  let json = data;
  if (typeof data === 'string') {
    try {
      json = JSON.parse(data);
    } catch {
      return { ok: false, message: 'data is not valid JSON: send a list of { "filename", "object": [{ "name", "ocr_text", "bndbox" }] }.' };
    }
  }
  // Parse with the branch the shape asks for, so the message names the bad field.
  const parsed = Array.isArray(json)
    ? z.array(nanonetsTrainingAnnotationSchema).safeParse(json)
    : nanonetsTrainingAnnotationSchema.transform((a) => [a]).safeParse(json);
  if (!parsed.success) return { ok: false, message: `data does not describe annotations: ${describeZodError(parsed.error)}` };
  return { ok: true, annotations: parsed.data };
}

/** Boxes per category name, most frequent first (ties by name). */
export function nanonetsCategoryTotals(annotations: readonly NanonetsTrainingAnnotation[]): Array<{ name: string; count: number }> {
  const counts = new Map<string, number>();
  for (const a of annotations) for (const o of a.object) counts.set(o.name, (counts.get(o.name) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** UploadFile / UploadUrls answer for the stored `TrainingImage` rows. */
export function nanonetsUploadResponse(
  modelId: string,
  images: ReadonlyArray<{ id: string; filename: string }>,
  annotations: readonly NanonetsTrainingAnnotation[],
): NanonetsUploadResponse {
  return {
    message: 'Success',
    model_id: modelId,
    total_images: images.length,
    categories: nanonetsCategoryTotals(annotations),
    images: images.map(({ id, filename }) => ({ id, filename })),
  };
}

/**
 * Train answer: the run (queued, running, or the one already under way), `trained` once it
 * succeeded. Until a run succeeds the model keeps serving its previous version (or full text).
 */
export function nanonetsTrainResponse(run: NanonetsTrainingRunView, imageCount: number): NanonetsTrainResponse {
  return {
    message:
      run.message ??
      `Training run ${run.id} queued with ${imageCount} training image${imageCount === 1 ? '' : 's'}.`,
    model_id: run.modelId,
    training_run_id: run.id,
    state: run.status.toLowerCase(),
    trained: run.status === 'SUCCEEDED',
    created_at: run.createdAt.toISOString(),
  };
}
