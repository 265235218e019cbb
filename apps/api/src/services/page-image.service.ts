import { encodePageImage, limitsFromConfig, openDocument } from '@folio/documents';
import type { PageSummary } from '@folio/db';
import { storageKeys } from '@folio/storage';
import type { ApiDeps } from '../api.deps.ts';
import { fromLibraryError } from '../errors/domain-errors.ts';

/**
 * The S3 key of a page's image, rendering it first when the page was read from its PDF's text
 * layer and never rendered (render skips pages OCR does not need). The image is rendered at the
 * page's own dpi, so its pixels are those the page's boxes refer to, and kept: the next ask reads
 * it. Null when the page has no image and none can be made (not yet rendered, not a PDF page).
 */
export async function ensurePageImage(
  deps: ApiDeps,
  page: Pick<PageSummary, 'id' | 'orgId' | 'fileId' | 'index' | 'dpi' | 'imageKey' | 'textLayerKey'>,
): Promise<string | null> {
  if (page.imageKey) return page.imageKey;
  if (!page.textLayerKey) return null;
  const file = await deps.db.files.findById(page.fileId);
  if (!file?.storageKey || file.deletedAt) return null;
  const key = storageKeys.pageImage(page.orgId, page.fileId, page.index);
  try {
    const doc = await openDocument(await deps.storage.getBuffer(file.storageKey), limitsFromConfig(deps.config));
    try {
      const raster = await doc.renderPage(page.index, { dpi: page.dpi ?? deps.config.RENDER_DPI, grayWhenNeutral: true });
      await deps.storage.putBuffer(key, await encodePageImage(raster, { compressionLevel: deps.config.RENDER_PNG_COMPRESSION }), 'image/png');
    } finally {
      await doc.close();
    }
  } catch (err) {
    throw fromLibraryError(err);
  }
  // Two asks at once both render; the first key stored wins and both name the same object.
  await deps.db.pages.setImageKey(page.id, key);
  return key;
}
