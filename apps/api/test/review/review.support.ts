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

/** A field the seeded model "predicted": `category` over the whole of line `line`. */
export interface SeedField {
  category: string;
  line: number;
  score: number;
}

export interface SeedPageInput {
  lines: string[];
  scores: number[];
  /** When given, the page's predictions are these fields alone (as a trained model answers); else one `text` box per line. */
  fields?: SeedField[];
}

/**
 * A recognized document as render + recognize leave it (images in S3, results, boxes, DONE),
 * without running the engine: one generated PNG per page, each line read as one word scored like it.
 */
export async function seedRecognizedDocument(
  stack: Stack,
  storage: Storage,
  input: { orgId: string; modelId: string | null; pages: SeedPageInput[]; filename?: string; day?: number },
): Promise<SeededPage[]> {
  const file = await stack.db.files.create({ orgId: input.orgId, modelId: input.modelId, filename: input.filename ?? 'scan.png' });
  const rows = await stack.db.files.createPages(file.id, input.pages.length, { daySinceEpoch: input.day ?? daySinceEpoch() });
  const out: SeededPage[] = [];
  for (const [index, spec] of input.pages.entries()) {
    const row = rows.find((r) => r.index === index)!;
    const png = Buffer.from(await makeTextPng(spec.lines, { fontSize: FONT, padding: PADDING, lineHeight: LINE_HEIGHT }));
    const { width, height } = await sharp(png).metadata();
    const imageKey = storageKeys.pageImage(input.orgId, file.id, index);
    await storage.putBuffer(imageKey, png, 'image/png');
    await stack.db.pages.markRendered(row.id, { imageKey, width: width!, height: height!, dpi: 72 });
    const boxes = spec.lines.map((text, i) => ({
      xmin: PADDING - 2,
      ymin: PADDING + i * LINE_HEIGHT - 4,
      xmax: Math.min(width!, PADDING + Math.round(text.length * FONT * 0.55)),
      ymax: PADDING + i * LINE_HEIGHT + FONT + 8,
    }));
    const quad = (b: (typeof boxes)[number]) => [[b.xmin, b.ymin], [b.xmax, b.ymin], [b.xmax, b.ymax], [b.xmin, b.ymax]];
    // Each line is read as one word scored like its line (the queue orders pages without fields by word score).
    const lines = spec.lines.map((text, i) => {
      const confidence = spec.scores[i] ?? 0.99;
      return { text, confidence, quad: quad(boxes[i]!), words: [{ text, confidence, quad: quad(boxes[i]!) }] };
    });
    const predictions = spec.fields
      ? spec.fields.map((f, i) => ({ label: f.category, type: 'field', ...boxes[f.line]!, score: f.score, ocrText: spec.lines[f.line]!, labelId: String(i) }))
      : spec.lines.map((text, i) => ({ label: 'text', ...boxes[i]!, score: spec.scores[i] ?? 0.99, ocrText: text }));
    await stack.db.pages.savePageResult(row.id, {
      result: { width, height, dpi: 72, rotation: 0, blocks: [{ kind: 'paragraph', quad: quad(boxes[0]!), lines }] },
      width,
      height,
      predictions,
    });
    out.push({ fileId: file.id, pageId: row.id, width: width!, height: height!, png });
  }
  await stack.db.files.finalize(file.id, { force: true });
  return out;
}

/** One recognized page in a file of its own (see `seedRecognizedDocument`). */
export async function seedRecognizedPage(
  stack: Stack,
  storage: Storage,
  input: { orgId: string; modelId: string | null; lines: string[]; scores: number[]; filename?: string; day?: number; fields?: SeedField[] },
): Promise<SeededPage> {
  const { lines, scores, fields, ...rest } = input;
  const [page] = await seedRecognizedDocument(stack, storage, { ...rest, pages: [{ lines, scores, ...(fields ? { fields } : {}) }] });
  return page!;
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
