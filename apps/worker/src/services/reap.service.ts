import { storageKeys } from '@folio/storage';
import type { WorkerDeps } from '../worker.deps.ts';

/** Files removed per batch, and batches per sweep (the rest waits for the next sweep). */
const BATCH = 100;
const MAX_BATCHES = 50;

export interface ReapReport {
  /** Expired or deleted files removed, rows and objects. */
  files: number;
  /** Object folders removed whose organization or model no longer exists. */
  orphans: number;
}

/**
 * Removes files past their expiry and files their owners deleted (original, page images, then
 * the row with its pages and predictions), then objects left by organizations and models that
 * are gone (training images). Objects go first, so a crash in between leaves a row that the next
 * sweep reaps again rather than an orphan object.
 */
export async function reap(deps: WorkerDeps, now = new Date()): Promise<ReapReport> {
  let files = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const expired = await deps.db.files.findExpired(now, { limit: BATCH });
    for (const file of expired) {
      await deps.storage.deletePrefix(storageKeys.filePrefix(file.orgId, file.id));
      if (await deps.db.files.hardDelete(file.id)) files++;
    }
    if (expired.length < BATCH) break;
  }
  const orphans = await reapOrphans(deps);
  if (files + orphans > 0) deps.logger.info({ files, orphans }, 'reaper removed files');
  return { files, orphans };
}

const idOf = (prefix: string) => prefix.split('/').at(-2) ?? '';

/**
 * Object folders whose owner row is gone: an organization deleted (its rows cascade, its objects
 * do not), or a model deleted (its training images). Only organizations and models are swept:
 * a file's original is stored just before its row is written, so a file folder without a row
 * may be an upload in progress.
 */
async function reapOrphans(deps: WorkerDeps): Promise<number> {
  let removed = 0;
  const orgPrefixes = await deps.storage.listPrefixes('orgs/');
  const liveOrgs = await deps.db.organizations.existingIds(orgPrefixes.map(idOf));
  for (const orgPrefix of orgPrefixes) {
    const orgId = idOf(orgPrefix);
    if (!liveOrgs.has(orgId)) {
      // Only folders named by a well-formed id: anything else in the bucket is not ours to judge.
      if (/^[0-9a-f-]{36}$/i.test(orgId)) {
        await deps.storage.deletePrefix(orgPrefix);
        removed++;
      }
      continue;
    }
    const modelPrefixes = await deps.storage.listPrefixes(`${orgPrefix}models/`);
    const liveModels = await deps.db.models.existingIds(modelPrefixes.map(idOf));
    for (const modelPrefix of modelPrefixes) {
      const modelId = idOf(modelPrefix);
      if (liveModels.has(modelId) || !/^[0-9a-f-]{36}$/i.test(modelId)) continue;
      await deps.storage.deletePrefix(storageKeys.modelPrefix(orgId, modelId));
      removed++;
    }
  }
  return removed;
}
