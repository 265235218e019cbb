import { predictionsFromPage } from '@folio/contracts';
import { decodeImage } from '@folio/documents';
import type { JobProcessor } from '@folio/queue';
import { enqueuePageWork, pageSettled } from '../services/page-flow.ts';
import { runPageStage } from '../services/page-failure.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/**
 * Runs OCR on a rendered page and stores the canonical result with its predictions in one
 * transaction (a retry replaces, never duplicates). Attempts are counted in Postgres, so a page
 * that kills its worker outright (no catch ever runs) is still given up after a bounded number.
 */
export function recognizeProcessor(deps: WorkerDeps): JobProcessor<'recognize'> {
  const maxAttempts = deps.config.JOB_ATTEMPTS + 2;
  return (data, ctx) =>
    runPageStage(deps, data, ctx, async () => {
      const page = await deps.db.pages.findById(data.pageId);
      if (!page) return { skipped: 'page gone' };
      const follow = { requestId: data.requestId, priority: ctx.job.opts.priority };
      if (page.status !== 'RENDERED' || !page.imageKey) {
        await enqueuePageWork(deps, page, follow);
        return { skipped: `page ${page.status}` };
      }
      const attempts = await deps.db.pages.incrementAttempts(page.id);
      if (attempts !== null && attempts > maxAttempts) {
        if (await deps.db.pages.markFailed(page.id, `recognize gave up after ${maxAttempts} attempts (the page crashed or stalled its worker each time)`)) {
          deps.metrics.failures.inc({ stage: 'recognize', reason: 'too_many_attempts' });
          await pageSettled(deps, { ...page, status: 'FAILED' }, follow);
        }
        return { failed: 'too many attempts' };
      }

      const raster = await decodeImage(await deps.storage.getBuffer(page.imageKey));
      const engine = await deps.engine();
      const result = await engine.recognize(raster, { dpi: page.dpi ?? raster.dpi });
      deps.metrics.observeEngineTimings(result.timings);
      await deps.db.pages.savePageResult(page.id, {
        result,
        rotation: result.rotation,
        width: result.width,
        height: result.height,
        predictions: predictionsFromPage(result, page.index),
      });
      await pageSettled(deps, { ...page, status: 'DONE' }, follow);
      return { blocks: result.blocks.length, timings: result.timings };
    });
}
