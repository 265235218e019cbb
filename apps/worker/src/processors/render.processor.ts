import { encodePageImage, isDocumentError } from '@folio/documents';
import { UnrecoverableError, type JobProcessor } from '@folio/queue';
import { storageKeys } from '@folio/storage';
import type { DocumentCache } from '../services/document-cache.ts';
import type { RenderAhead } from '../services/render-ahead.ts';
import { enqueuePageWork } from '../services/page-flow.ts';
import { runPageStage } from '../services/page-failure.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/**
 * Rasterizes one page of the original and stores it as PNG (gray when the page has no colour), then hands the page to recognize;
 * `ahead` pauses this worker once recognize has enough rendered pages waiting.
 */
export function renderProcessor(deps: WorkerDeps, documents: DocumentCache, ahead?: RenderAhead): JobProcessor<'render'> {
  return (data, ctx) =>
    runPageStage(deps, data, ctx, async () => {
      const page = await deps.db.pages.findById(data.pageId);
      if (!page) return { skipped: 'page gone' };
      const follow = { requestId: data.requestId, priority: ctx.job.opts.priority };
      if (page.status !== 'QUEUED') {
        await enqueuePageWork(deps, page, follow);
        return { skipped: `page ${page.status}` };
      }
      const file = await deps.db.files.findById(page.fileId);
      if (!file?.storageKey || file.deletedAt) return { skipped: 'file gone' };

      let png: Buffer;
      let size: { width: number; height: number; dpi: number };
      try {
        const doc = await documents.get(file.storageKey);
        const raster = await doc.renderPage(page.index, { dpi: deps.config.RENDER_DPI, grayWhenNeutral: true });
        size = { width: raster.width, height: raster.height, dpi: raster.dpi };
        // Neutral-gray pages are stored with one channel (lossless), at a fast compression level.
        png = await encodePageImage(raster, { compressionLevel: deps.config.RENDER_PNG_COMPRESSION });
      } catch (err) {
        if (isDocumentError(err)) throw new UnrecoverableError(`${err.code}: ${err.message}`);
        throw err;
      }
      const imageKey = storageKeys.pageImage(page.orgId, page.fileId, page.index);
      await deps.storage.putBuffer(imageKey, png, 'image/png');
      if (await deps.db.pages.markRendered(page.id, { imageKey, ...size })) {
        await enqueuePageWork(deps, { ...page, status: 'RENDERED' }, follow);
        await ahead?.afterEnqueue();
      } else if (!(await deps.db.pages.findById(page.id))) {
        // The file was refused or deleted while this page rendered: leave no image behind.
        await deps.storage.delete(imageKey);
      }
      return { imageKey, ...size };
    });
}
