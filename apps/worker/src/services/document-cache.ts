import { openDocument, type DocumentLimits, type DocumentSource } from '@folio/documents';
import type { Storage } from '@folio/storage';

/**
 * Keeps the last few opened documents of this process, so rendering page after page of one
 * PDF downloads and parses it once instead of once per page. Small on purpose: originals can
 * be large, and render jobs of one file mostly arrive together.
 */
export function createDocumentCache(storage: Storage, limits: DocumentLimits, capacity = 2) {
  const entries = new Map<string, Promise<DocumentSource>>();

  async function evict(key: string): Promise<void> {
    const doc = entries.get(key);
    entries.delete(key);
    await doc?.then((d) => d.close()).catch(() => {});
  }

  return {
    async get(storageKey: string): Promise<DocumentSource> {
      const hit = entries.get(storageKey);
      if (hit) {
        entries.delete(storageKey);
        entries.set(storageKey, hit);
        return hit;
      }
      const opening = storage.getBuffer(storageKey).then((bytes) => openDocument(bytes, limits));
      entries.set(storageKey, opening);
      opening.catch(() => entries.delete(storageKey));
      while (entries.size > capacity) await evict(entries.keys().next().value as string);
      return opening;
    },
    async clear(): Promise<void> {
      await Promise.all([...entries.keys()].map(evict));
    },
  };
}

export type DocumentCache = ReturnType<typeof createDocumentCache>;
