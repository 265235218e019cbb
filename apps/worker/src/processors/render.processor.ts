import { isDocumentError } from '@folio/documents';
import type { JobProcessor } from '@folio/queue';
import { storageKeys } from '@folio/storage';
import type { RenderPool } from '../render/render.pool.ts';
import type { RenderAhead } from '../services/render-ahead.ts';
import { enqueuePageWork, pageSettled } from '../services/page-flow.ts';
import { pageReadOf } from '../services/page-read.ts';
import { storedTextLayerOf } from '../services/text-layer-page.ts';
import { FailureError } from '../services/failure.mapping.ts';
import { attemptsExhausted, runPageStage, uncountedOnOutage } from '../services/page-failure.ts';
import { skipUnlessForeign } from '../services/foreign-job.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/**
 * Decides how one page is read and prepares what recognize needs, in a render thread under
 * RENDER_TIMEOUT_MS: a PDF page's text layer (unless the file forces OCR) is stored as JSON beside
 * the page; the page is rasterized and stored as PNG (one channel when it has no colour) only when
 * OCR needs all its pixels (`ocr` verdicts, images). A `mixed` page renders its image regions
 * alone, packed on one sheet stored as PNG beside the text layer (which says where each region
 * sits); the page itself then renders on demand, as a text-layer page's does (a region too large
 * for a sheet: the whole page, as before). Then it hands the page to recognize; `ahead`
 * pauses this worker once recognize has enough rendered pages waiting. Attempts are counted in Postgres as in recognize, so a
 * page that takes its whole worker down with it is still given up after a bounded number.
 */
export function renderProcessor(deps: WorkerDeps, renderer: RenderPool, ahead?: RenderAhead): JobProcessor<'render'> {
  const maxAttempts = deps.config.JOB_ATTEMPTS + 2;
  return (data, ctx) =>
    runPageStage(deps, data, ctx, async () => {
      const page = await deps.db.pages.findById(data.pageId);
      if (!page) return skipUnlessForeign(deps, ctx.job, data.orgId, 'page gone');
      const follow = { requestId: data.requestId, priority: ctx.job.opts.priority };
      if (page.status !== 'QUEUED') {
        await enqueuePageWork(deps, page, follow);
        return { skipped: `page ${page.status}` };
      }
      const file = await deps.db.files.findById(page.fileId);
      if (!file?.storageKey || file.deletedAt) return { skipped: 'file gone' };
      if (await attemptsExhausted(deps, page.id, maxAttempts)) {
        if (await deps.db.pages.markFailed(page.id, { code: 'too_many_attempts', attempts: maxAttempts, stage: 'render' })) {
          await pageSettled(deps, { ...page, status: 'FAILED' }, follow);
        }
        return { failed: 'too many attempts' };
      }

      return uncountedOnOutage(deps, page.id, async () => {
        let rendered;
        try {
          // A forced file never trusts its text layer, so it is not read at all.
          rendered = await renderer.render(file.storageKey as string, page.index, deps.config.RENDER_DPI, { textLayer: !file.forceOcr });
        } catch (err) {
          // A document error is permanent: no retry, and its facts are stored with the page.
          if (isDocumentError(err)) throw new FailureError(err.refusal);
          throw err;
        }
        const { png, sheet, layer, ...size } = rendered;
        const imageKey = png ? storageKeys.pageImage(page.orgId, page.fileId, page.index) : null;
        const textLayerKey = layer ? storageKeys.pageTextLayer(page.orgId, page.fileId, page.index) : null;
        const sheetKey = sheet?.png ? storageKeys.pageRegionSheet(page.orgId, page.fileId, page.index) : null;
        // Keys derive from the page, so a retry overwrites what an earlier attempt left; the row
        // names them only once all are written (markRendered), and the sheet is written before the
        // text layer that points at it.
        if (imageKey && png) await deps.storage.putBuffer(imageKey, png, 'image/png');
        if (sheetKey && sheet?.png) await deps.storage.putBuffer(sheetKey, sheet.png, 'image/png');
        if (textLayerKey && layer) {
          const stored = storedTextLayerOf(layer, sheet && { key: sheetKey, slots: sheet.slots });
          await deps.storage.putBuffer(textLayerKey, Buffer.from(JSON.stringify(stored)), 'application/json');
        }
        deps.logger.debug({ pageId: page.id, source: layer?.verdict.source ?? 'ocr', reason: layer?.verdict.reason, stats: layer?.stats }, 'page source decided');
        if (await deps.db.pages.markRendered(page.id, { imageKey, textLayerKey, ...size })) {
          // A page rendered before (a dpi stored; OCR now forced on a file read from its text
          // layer) drops what the earlier render stored and this one did not: nothing names it now.
          if (page.dpi !== null) await deleteUnwritten(deps, page, [imageKey, sheetKey, textLayerKey]);
          await enqueuePageWork(deps, { ...page, status: 'RENDERED' }, { ...follow, read: pageReadOf(file) });
          await ahead?.afterEnqueue();
        } else if (!(await deps.db.pages.findById(page.id))) {
          // The file was refused or deleted while this page rendered: leave nothing behind.
          for (const key of [imageKey, sheetKey, textLayerKey]) if (key) await deps.storage.delete(key);
        }
        return { imageKey, textLayerKey, regionSheetKey: sheetKey, source: layer?.verdict.source ?? 'ocr', ...size };
      });
    });
}

type PageKeys = { orgId: string; fileId: string; index: number };

/** Deletes the page's derived objects (image, region sheet, text layer) other than `written`. */
async function deleteUnwritten(deps: WorkerDeps, page: PageKeys, written: ReadonlyArray<string | null>): Promise<void> {
  for (const keyOf of [storageKeys.pageImage, storageKeys.pageRegionSheet, storageKeys.pageTextLayer]) {
    const key = keyOf(page.orgId, page.fileId, page.index);
    if (!written.includes(key)) await deps.storage.delete(key);
  }
}
