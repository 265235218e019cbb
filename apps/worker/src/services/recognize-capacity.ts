import type { Config } from '@folio/config';

type CapacityConfig = Pick<Config, 'RECOGNIZE_CONCURRENCY' | 'OCR_ENGINE_WORKERS' | 'RECOGNIZE_BATCH_PAGES'>;

/**
 * Recognize jobs one worker process holds at once: enough to give every engine a full batch
 * (`OCR_ENGINE_WORKERS × RECOGNIZE_BATCH_PAGES`), or `RECOGNIZE_CONCURRENCY` when that is larger.
 */
export function recognizeConcurrency(c: CapacityConfig): number {
  return Math.max(c.RECOGNIZE_CONCURRENCY, c.OCR_ENGINE_WORKERS * c.RECOGNIZE_BATCH_PAGES);
}

/** The render-ahead bound: `RENDER_AHEAD_PAGES`, else twice the recognize concurrency. 0 = none. */
export function renderAheadPages(c: CapacityConfig & Pick<Config, 'RENDER_AHEAD_PAGES'>): number {
  return c.RENDER_AHEAD_PAGES ?? 2 * recognizeConcurrency(c);
}
