import { z } from 'zod';
import type { BatchItem, OcrEngine, RecognizeOptions } from '../engine.types.ts';
import type { OcrPage } from '../page.ts';
import type { Raster } from '../raster.ts';

export const batchingOptionsSchema = z.object({
  /** Most pages per `recognizeBatch` call. @defaultValue 4 */
  maxPages: z.number().int().positive().default(4),
  /** How long the first waiting page waits for others before its batch goes anyway, ms. @defaultValue 50 */
  waitMs: z.number().int().min(0).default(50),
});

export type BatchingOptions = z.input<typeof batchingOptionsSchema>;

interface Pending extends BatchItem {
  resolve: (page: OcrPage) => void;
  reject: (err: Error) => void;
}

/** What a batching engine has done so far (tests, logs). */
export interface BatchingStats {
  /** Sizes of the batches sent, in order. */
  batches: number[];
}

/**
 * An `OcrEngine` whose `recognize` calls are gathered into `recognizeBatch` calls of the wrapped
 * engine: a batch goes when `maxPages` pages wait or `waitMs` after its first page arrived. Each
 * caller still gets its own page or its own error, so one bad page fails only its caller (a BullMQ
 * job keeps its own retries). Engines without `recognizeBatch`, and batches of one page, are driven
 * page by page.
 */
export function createBatchingEngine(engine: OcrEngine, options: BatchingOptions = {}): OcrEngine & { stats: BatchingStats } {
  const { maxPages, waitMs } = batchingOptionsSchema.parse(options);
  const pending: Pending[] = [];
  const stats: BatchingStats = { batches: [] };
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const send = (batch: Pending[]) => {
    stats.batches.push(batch.length);
    if (batch.length === 1 || !engine.recognizeBatch) {
      for (const p of batch) engine.recognize(p.raster, p.opts).then(p.resolve, p.reject);
      return;
    }
    engine.recognizeBatch(batch.map(({ raster, opts }) => ({ raster, opts }))).then(
      (outcomes) =>
        batch.forEach((p, i) => {
          const out = outcomes[i];
          if (out?.ok) p.resolve(out.page);
          else p.reject(new Error(out ? out.error : 'ocr batch returned no result for this page'));
        }),
      (err: unknown) => batch.forEach((p) => p.reject(err instanceof Error ? err : new Error(String(err)))),
    );
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    while (pending.length >= maxPages) send(pending.splice(0, maxPages));
    if (pending.length > 0) {
      if (waitMs === 0 || closed) send(pending.splice(0));
      else timer = setTimeout(() => {
        timer = undefined;
        if (pending.length > 0) send(pending.splice(0, maxPages));
        flush();
      }, waitMs);
    }
  };

  return {
    stats,
    recognize(raster: Raster, opts?: RecognizeOptions) {
      if (closed) return Promise.reject(new Error('ocr engine is closed'));
      return new Promise<OcrPage>((resolve, reject) => {
        pending.push({ raster, opts, resolve, reject });
        if (pending.length >= maxPages || timer === undefined) flush();
      });
    },
    recognizeBatch: engine.recognizeBatch ? (items) => engine.recognizeBatch!(items) : undefined,
    async close() {
      closed = true;
      flush();
      await engine.close();
    },
  };
}
