import { z } from 'zod';
import { failureSchema } from '../failures/index.ts';

/** `POST /OCR/Model/`: the categories to learn; none makes a full-text OCR model. */
export const nanonetsCreateModelBodySchema = z.object({
  categories: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
  model_type: z.literal('ocr').default('ocr'),
});
export type NanonetsCreateModelBody = z.infer<typeof nanonetsCreateModelBodySchema>;

const categoryName = z.string().trim().min(1).max(100);
/**
 * `PATCH /OCR/Model/{model_id}` (Folio; NanoNets' public spec has no model update): categories added
 * after the existing ones, or renamed in place (`{"old": "new"}`); annotations, approved boxes and
 * the serving version answer with the new names. Categories are never removed or reordered, so a
 * trained version's outputs keep their meaning.
 */
export const nanonetsUpdateModelBodySchema = z.object({
  add: z.array(categoryName).max(200).default([]),
  rename: z.record(z.string(), categoryName).default({}),
});
export type NanonetsUpdateModelBody = z.infer<typeof nanonetsUpdateModelBodySchema>;

const categoryMetricsSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() });

/** The Nanonets model object (`GET /OCR/Model/{model_id}`), with Folio's training status. */
export const nanonetsModelSchema = z.object({
  model_id: z.string(),
  model_type: z.literal('ocr'),
  /** Nanonets' numeric state: 5 = ready to predict (trained or full text), 1 = waiting for training. */
  state: z.number().int(),
  status: z.enum(['created', 'training', 'trained', 'failed']),
  categories: z.array(z.object({ name: z.string(), count: z.number().int(), accuracy: categoryMetricsSchema.nullable() })),
  serving_version: z.number().int().nullable(),
  training_runs: z.array(
    z.object({
      training_run_id: z.string(),
      state: z.string(),
      message: z.string().nullable(),
      /** Why a failed run failed, as data (the failure catalogue: `no_usable_annotations`, `training_crashed`, …); null otherwise. */
      failure: failureSchema.nullable(),
      metrics: z.record(z.string(), categoryMetricsSchema).nullable(),
      data: z.unknown().nullable(),
      created_at: z.string(),
      finished_at: z.string().nullable(),
    }),
  ),
});
export type NanonetsModel = z.infer<typeof nanonetsModelSchema>;
export const nanonetsModelListSchema = z.array(nanonetsModelSchema);

export interface NanonetsModelView {
  id: string;
  labels: string[];
  /** Annotated boxes per category (training images and approved pages). */
  counts: Record<string, number>;
  servingVersion: { number: number; metrics: unknown } | null;
  runs: Array<{ id: string; status: string; message: string | null; failure?: unknown; metrics: unknown; data: unknown; createdAt: Date; finishedAt: Date | null }>;
}

type Metrics = z.infer<typeof categoryMetricsSchema>;

function metricsOf(raw: unknown): Record<string, Metrics> | null {
  const parsed = z.record(z.string(), categoryMetricsSchema).safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The model object: `status` from its newest run and whether a version serves. */
export function nanonetsModelResponse(view: NanonetsModelView): NanonetsModel {
  const latest = view.runs[0];
  const status: NanonetsModel['status'] =
    latest && (latest.status === 'QUEUED' || latest.status === 'RUNNING')
      ? 'training'
      : latest?.status === 'FAILED' && !view.servingVersion
        ? 'failed'
        : view.servingVersion
          ? 'trained'
          : 'created';
  const serving = metricsOf(view.servingVersion?.metrics);
  return {
    model_id: view.id,
    model_type: 'ocr',
    state: view.labels.length === 0 || view.servingVersion ? 5 : 1,
    status,
    categories: view.labels.map((name) => ({ name, count: view.counts[name] ?? 0, accuracy: serving?.[name] ?? null })),
    serving_version: view.servingVersion?.number ?? null,
    training_runs: view.runs.map((r) => ({
      training_run_id: r.id,
      state: r.status.toLowerCase(),
      message: r.message,
      failure: r.status === 'FAILED' ? (failureSchema.safeParse(r.failure).data ?? null) : null,
      metrics: metricsOf(r.metrics),
      data: r.data ?? null,
      created_at: r.createdAt.toISOString(),
      finished_at: r.finishedAt?.toISOString() ?? null,
    })),
  };
}
