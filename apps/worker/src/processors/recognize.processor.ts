import { predictionsFromPage } from '@folio/contracts';
import { decodeImage } from '@folio/documents';
import { ocrPage, type OcrPage, type Raster } from '@folio/ocr';
import type { JobProcessor } from '@folio/queue';
import { fieldPredictions } from '../services/field-extraction.service.ts';
import { enqueuePageWork, pageSettled } from '../services/page-flow.ts';
import { pageFromTextLayer, parseStoredTextLayer } from '../services/text-layer-page.ts';
import { attemptsExhausted, runPageStage, uncountedOnOutage } from '../services/page-failure.ts';
import { skipUnlessForeign } from '../services/foreign-job.ts';
import { pageReadFor } from '../services/page-read.ts';
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
      if (!page) return skipUnlessForeign(deps, ctx.job, data.orgId, 'page gone');
      const follow = { requestId: data.requestId, priority: ctx.job.opts.priority };
      if (page.status === 'DONE' || page.status === 'FAILED') {
        // A retry after the result was saved (e.g. Postgres went away before the file's
        // progress was read): finish what the first run could not. Finalize is idempotent.
        await pageSettled(deps, page, follow);
        return { skipped: `page ${page.status}` };
      }
      if (page.status !== 'RENDERED' || (!page.imageKey && !page.textLayerKey)) {
        await enqueuePageWork(deps, page, follow);
        return { skipped: `page ${page.status}` };
      }
      // Read the inputs before counting an attempt: an S3 outage is no attempt of the page's.
      const layer = page.textLayerKey ? parseStoredTextLayer(await deps.storage.getBuffer(page.textLayerKey)) : undefined;
      // A mixed page's regions come from their sheet; pages rendered whole before render stored
      // sheets (and regions too large for one) read them from the page image.
      const regionSheet = layer?.verdict.source === 'mixed' ? layer.regionSheet : undefined;
      const sheetPng = regionSheet?.key ? await deps.storage.getBuffer(regionSheet.key) : undefined;
      const needsPage = !layer || layer.verdict.source === 'ocr' || (layer.verdict.source === 'mixed' && !regionSheet);
      const image = needsPage && page.imageKey ? await deps.storage.getBuffer(page.imageKey) : undefined;
      if (await attemptsExhausted(deps, page.id, maxAttempts)) {
        if (await deps.db.pages.markFailed(page.id, { code: 'too_many_attempts', attempts: maxAttempts, stage: 'recognize' })) {
          deps.metrics.failures.inc({ stage: 'recognize', reason: 'too_many_attempts' });
          await pageSettled(deps, { ...page, status: 'FAILED' }, follow);
        }
        return { failed: 'too many attempts' };
      }

      const result = await uncountedOnOutage(deps, page.id, async () => {
        let recognized: OcrPage;
        if (layer && layer.verdict.source !== 'ocr') {
          // Read from the text layer; a mixed page OCRs its image regions only.
          let read: Parameters<typeof pageFromTextLayer>[1];
          if (layer.verdict.source === 'mixed') {
            const source = regionSheet ? { sheet: { sheet: await sheetRaster(sheetPng, layer.dpi), slots: regionSheet.slots } } : image ? { page: await decodeImage(image) } : undefined;
            if (!source) throw new Error(`mixed page ${page.id} has neither its region sheet nor its image to OCR`);
            read = { engine: await deps.engine(), source };
          }
          recognized = await pageFromTextLayer(layer, read);
        } else {
          if (!image) throw new Error(`page ${page.id} has no image to OCR`);
          const read = await pageReadFor(deps, data.read, page.fileId);
          const raster = await decodeImage(image);
          const engine = await deps.engine();
          const ocr = await engine.recognize(raster, { dpi: page.dpi ?? raster.dpi, detection: read.detection });
          // Why OCR: the text layer's verdict, the file's choice, or no text layer at all (images).
          const reason = layer?.verdict.reason ?? (!layer && read.forceOcr ? 'force_ocr' : undefined);
          recognized = ocrPage(ocr, reason);
        }
        if (recognized.timings) deps.metrics.observeEngineTimings(recognized.timings);
        // A model with a trained version answers its fields; the full text stays in the result.
        const fields = await fieldPredictions(deps, page, recognized);
        await deps.db.pages.savePageResult(page.id, {
          result: recognized,
          rotation: recognized.rotation,
          width: recognized.width,
          height: recognized.height,
          predictions: fields ?? predictionsFromPage(recognized, page.index),
        });
        return recognized;
      });
      await pageSettled(deps, { ...page, status: 'DONE' }, follow);
      return { blocks: result.blocks.length, timings: result.timings };
    });
}

/** The decoded sheet of a mixed page's regions; a sheet with no region on it (no PNG stored) is empty. */
function sheetRaster(png: Buffer | undefined, dpi: number): Promise<Raster> {
  return png ? decodeImage(png) : Promise.resolve({ data: new Uint8Array(0), width: 0, height: 0, channels: 1, dpi });
}
