import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Stack } from './stack.ts';

const OBJECT_SUFFIX = '._S3rver_object';

/** Keys of every object in the stack's S3 bucket, read from the S3 server's directory. */
export async function storedKeys(stack: Stack): Promise<string[]> {
  const root = path.join(stack.env.FOLIO_HOME as string, 's3', stack.config.S3_BUCKET);
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries
    .filter((e) => e.endsWith(OBJECT_SUFFIX))
    .map((e) => e.slice(0, -OBJECT_SUFFIX.length).split(path.sep).join('/'))
    .sort();
}

/** What a request can leave behind: rows of every table it writes and S3 objects. */
export interface Footprint {
  files: number;
  pages: number;
  trainingImages: number;
  trainingRuns: number;
  objects: string[];
}

export async function footprint(stack: Stack): Promise<Footprint> {
  const p = stack.db.prisma;
  const [files, pages, trainingImages, trainingRuns] = await Promise.all([
    p.file.count(),
    p.page.count(),
    p.trainingImage.count(),
    p.trainingRun.count(),
  ]);
  return { files, pages, trainingImages, trainingRuns, objects: await storedKeys(stack) };
}

/**
 * Runs `request` and checks it left nothing behind (same row counts, same S3 objects). Objects
 * are deleted after the answer in some paths, so the check waits briefly for them to settle.
 */
export async function leavesNothing<T>(stack: Stack, request: () => Promise<T>): Promise<{ result: T; before: Footprint; after: Footprint }> {
  const before = await footprint(stack);
  const result = await request();
  let after = await footprint(stack);
  for (let i = 0; i < 20 && JSON.stringify(after) !== JSON.stringify(before); i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = await footprint(stack);
  }
  return { result, before, after };
}
