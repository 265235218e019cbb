import sharp from 'sharp';
import { daySinceEpoch } from '@folio/db';
import { makeTextPng } from '@folio/documents/testing';
import { createStorage, storageKeys, type Storage } from '@folio/storage';
import type { Stack } from '../support/stack.ts';

/** A storage client on the stack's S3 server (tests put page images the way render does). */
export function stackStorage(stack: Stack): Storage {
  const c = stack.config;
  return createStorage({
    ...(c.S3_ENDPOINT ? { endpoint: c.S3_ENDPOINT } : {}),
    region: c.S3_REGION,
    bucket: c.S3_BUCKET,
    accessKeyId: c.S3_ACCESS_KEY_ID,
    secretAccessKey: c.S3_SECRET_ACCESS_KEY,
    forcePathStyle: c.S3_FORCE_PATH_STYLE,
  });
}

const FONT = 40;
const PADDING = 40;
const LINE_HEIGHT = 64;

export interface SeededPage {
  fileId: string;
  pageId: string;
  width: number;
  height: number;
  png: Buffer;
}

/**
 * A recognized page as render + recognize leave it (image in S3, result, boxes, DONE), without
 * running the engine: one `text` box per line of a generated PNG, scored by `scores`.
 */
export async function seedRecognizedPage(
  stack: Stack,
  storage: Storage,
  input: { orgId: string; modelId: string | null; lines: string[]; scores: number[]; filename?: string; day?: number },
): Promise<SeededPage> {
  const png = Buffer.from(await makeTextPng(input.lines, { fontSize: FONT, padding: PADDING, lineHeight: LINE_HEIGHT }));
  const { width, height } = await sharp(png).metadata();
  const file = await stack.db.files.create({ orgId: input.orgId, modelId: input.modelId, filename: input.filename ?? 'scan.png' });
  const [page] = await stack.db.files.createPages(file.id, 1, { daySinceEpoch: input.day ?? daySinceEpoch() });
  const imageKey = storageKeys.pageImage(input.orgId, file.id, 0);
  await storage.putBuffer(imageKey, png, 'image/png');
  await stack.db.pages.markRendered(page!.id, { imageKey, width: width!, height: height!, dpi: 72 });
  await stack.db.pages.savePageResult(page!.id, {
    result: { width, height, dpi: 72, rotation: 0, blocks: [] },
    width,
    height,
    predictions: input.lines.map((text, i) => ({
      label: 'text',
      xmin: PADDING - 2,
      ymin: PADDING + i * LINE_HEIGHT - 4,
      xmax: Math.min(width!, PADDING + Math.round(text.length * FONT * 0.55)),
      ymax: PADDING + i * LINE_HEIGHT + FONT + 8,
      score: input.scores[i] ?? 0.99,
      ocrText: text,
    })),
  });
  await stack.db.files.finalize(file.id, { force: true });
  return { fileId: file.id, pageId: page!.id, width: width!, height: height!, png };
}

/** The review API's error body. */
export interface ErrorBody {
  error: { code: string; reason: string | null; message: string };
}

/** fetch with the review API's Bearer key; JSON in and out (`T` is what the caller expects back). */
export function reviewClient(baseUrl: string, apiKey: string) {
  return async <T = ErrorBody>(method: string, path: string, body?: unknown, init: { raw?: string; contentType?: string } = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    const payload = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
    const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const json: unknown = (res.headers.get('content-type') ?? '').includes('json') ? await res.json() : null;
    return { status: res.status, body: json as T, headers: res.headers };
  };
}
