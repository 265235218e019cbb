import { storageKeys } from '@folio/storage';
import type { WorkerDeps } from '../worker.deps.ts';

/**
 * Removes files past their expiry and files their owners deleted: objects first, then rows,
 * so a crash in between leaves a row that the next sweep reaps again rather than an orphan object.
 */
export async function reap(deps: WorkerDeps, now = new Date()): Promise<{ files: number }> {
  let files = 0;
  for (const file of await deps.db.files.findExpired(now, { limit: 100 })) {
    await deps.storage.deletePrefix(storageKeys.filePrefix(file.orgId, file.id));
    if (await deps.db.files.hardDelete(file.id)) files++;
  }
  if (files > 0) deps.logger.info({ files }, 'reaper removed files');
  return { files };
}
