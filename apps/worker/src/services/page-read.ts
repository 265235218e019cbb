import { pageReadSchema, type PageRead } from '@folio/queue';
import type { WorkerDeps } from '../worker.deps.ts';

interface FileReadFields {
  forceOcr: boolean;
  detection: unknown;
}

/** How a file's pages are read, from its row (a `detection` column that does not parse is ignored). */
export function pageReadOf(file: FileReadFields): PageRead {
  const detection = pageReadSchema.shape.detection.safeParse(file.detection ?? undefined);
  return { forceOcr: file.forceOcr, ...(detection.success && detection.data ? { detection: detection.data } : {}) };
}

/**
 * The recognize job's `read`, else (a job the reconciler rebuilt from the page row alone) the
 * file's row once; a file gone reads as the defaults.
 */
export async function pageReadFor(deps: Pick<WorkerDeps, 'db'>, read: PageRead | undefined, fileId: string): Promise<PageRead> {
  if (read) return read;
  const file = await deps.db.files.findById(fileId);
  return file ? pageReadOf(file) : { forceOcr: false };
}
