import type { Config } from '@folio/config';

type CapacityConfig = Pick<Config, 'RECOGNIZE_CONCURRENCY' | 'OCR_ENGINE_WORKERS' | 'RECOGNIZE_BATCH_PAGES' | 'RECOGNIZE_PREFETCH_PAGES'>;

/**
 * Recognize jobs one worker process holds at once: a full batch for every engine
 * (`OCR_ENGINE_WORKERS × RECOGNIZE_BATCH_PAGES`) plus `RECOGNIZE_PREFETCH_PAGES` (default one per
 * engine) fetched and decoded ahead, or `RECOGNIZE_CONCURRENCY` when that is larger.
 */
export function recognizeConcurrency(c: CapacityConfig): number {
  const prefetch = c.RECOGNIZE_PREFETCH_PAGES ?? c.OCR_ENGINE_WORKERS;
  return Math.max(c.RECOGNIZE_CONCURRENCY, c.OCR_ENGINE_WORKERS * c.RECOGNIZE_BATCH_PAGES + prefetch);
}
