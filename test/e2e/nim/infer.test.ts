import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { makeTextPng } from '@folio/documents/testing';
import { NIM_INVALID_URL_MESSAGE, NIM_NOT_READY_MESSAGE, NIM_QUEUE_FULL_MESSAGE } from '@folio/contracts';
import { createQueues, createRedisConnection } from '@folio/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leavesNothing } from '../../../apps/api/test/support/leftovers.ts';
import { openApiValidator, type OpenApiValidator } from '../../../apps/api/test/support/openapi.validator.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

interface Detection {
  text_prediction: { text: string; confidence: number };
  bounding_box: { points: Array<{ x: number; y: number }> };
}
interface InferBody {
  data?: Array<{ index: number; text_detections: Detection[] }>;
  error?: string;
}

const dataUrl = (bytes: Uint8Array, type: string) => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;

describe('NIM POST /v1/infer (real API, worker and engine)', () => {
  let stack: Stack;
  let openapi: OpenApiValidator;
  let png: Uint8Array;
  let jpeg: Uint8Array;

  const infer = async (body: unknown, init: { auth?: string | null; raw?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (init.auth !== null) headers.authorization = init.auth ?? `Bearer ${stack.dev.apiKey}`;
    const res = await fetch(`${stack.api.url}/v1/infer`, { method: 'POST', headers, body: init.raw ?? JSON.stringify(body) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as InferBody };
  };
  const conforms = (status: number, body: unknown) => expect(openapi.check('nimInfer', status, body)).toEqual([]);

  beforeAll(async () => {
    // One queued page fills the queue: the 429 test below needs only one delayed job.
    stack = await startStack({ MAX_QUEUED_PAGES: '1' });
    openapi = await openApiValidator(stack.api.url);
    png = await makeTextPng(['Folio NIM sample', 'Total 42.50']);
    jpeg = new Uint8Array(await sharp(await makeTextPng(['Hello world again'])).jpeg({ quality: 95 }).toBuffer());
  });
  afterAll(() => stack?.close());

  it('answers 503 with the seed body until a recognize worker is connected, and health says so exactly', async () => {
    const live = await fetch(`${stack.api.url}/v1/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ live: true });
    const ready = await fetch(`${stack.api.url}/v1/health/ready`);
    expect(ready.status).toBe(503);
    const readyBody = await ready.json();
    expect(readyBody).toEqual({ ready: false });
    expect(openapi.check('nimHealthReady', 503, readyBody)).toEqual([]);
    expect(ready.headers.get('x-folio-not-ready')).toContain('recognizer');
    // The API pod's own readiness leaves the engine out: async uploads still work.
    const serviceReady = await fetch(`${stack.api.url}/health/ready`);
    expect(serviceReady.status).toBe(200);
    expect(await serviceReady.json()).toEqual({ ready: true });

    const { result } = await leavesNothing(stack, () => infer({ input: [{ type: 'image_url', url: dataUrl(png, 'image/png') }] }));
    expect(result.status).toBe(503);
    expect(result.body).toEqual({ error: NIM_NOT_READY_MESSAGE });
    expect(result.headers.get('retry-after')).toBe('5');
    conforms(503, result.body);

    await stack.startWorker();
    const body = await eventually(
      async () => {
        const res = await fetch(`${stack.api.url}/v1/health/ready`);
        return res.status === 200 ? await res.json() : undefined;
      },
      30_000,
      'readiness',
    );
    expect(body).toEqual({ ready: true });
    expect(openapi.check('nimHealthReady', 200, body)).toEqual([]);
    expect(openapi.check('nimHealthLive', 200, { live: true })).toEqual([]);
  });

  it('reads a PNG (seed spelling img/png) and a JPEG in one request, lines and words, boxes in [0, 1]', async () => {
    const res = await infer({
      input: [
        { type: 'image_url', url: dataUrl(png, 'img/png') },
        { type: 'image_url', url: dataUrl(jpeg, 'image/jpeg') },
      ],
      merge_levels: ['sentence', 'word'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    conforms(200, res.body);
    const [first, second] = res.body.data!;
    expect(first?.index).toBe(0);
    expect(second?.index).toBe(1);

    const lines = first!.text_detections;
    expect(lines.map((d) => d.text_prediction.text.toLowerCase()).join(' | ')).toMatch(/folio.*sample.*\|.*total.*42\.50/);
    const top = (d: Detection) => Math.min(...d.bounding_box.points.map((p) => p.y));
    expect(top(lines[0]!)).toBeLessThan(top(lines[1]!));

    const words = second!.text_detections.map((d) => d.text_prediction.text.toLowerCase());
    expect(words).toEqual(expect.arrayContaining(['hello', 'world', 'again']));

    for (const d of [...lines, ...second!.text_detections]) {
      expect(d.text_prediction.confidence).toBeGreaterThan(0.5);
      expect(d.text_prediction.confidence).toBeLessThanOrEqual(1);
      const pts = d.bounding_box.points;
      expect(pts).toHaveLength(4);
      for (const p of pts) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThanOrEqual(1);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeLessThanOrEqual(1);
      }
      // PaddleOCR order: from the image's top-left corner, clockwise.
      expect(pts[0]!.x).toBeLessThan(pts[1]!.x);
      expect(pts[1]!.y).toBeLessThan(pts[2]!.y);
    }
  });

  it('measures a sync one-image request against the engine time of that page', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const res = await infer({ input: [{ type: 'image_url', url: dataUrl(png, 'image/png') }] });
      latencies.push(performance.now() - started);
      expect(res.status).toBe(200);
    }
    const pages = await stack.db.prisma.page.findMany({ orderBy: { createdAt: 'desc' }, take: 3, select: { result: true } });
    const engine = pages.map((p) => (p.result as { timings?: { total?: number } }).timings?.total ?? Number.NaN);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`NIM one-image PNG: p50 ${median(latencies).toFixed(0)} ms end to end, engine ${median(engine).toFixed(0)} ms (page timings.total)`);
    expect(median(latencies)).toBeGreaterThan(median(engine));
  });

  describe('refuses bad input with 422 and the seed body, leaving nothing behind', () => {
    const cases: Array<[string, () => unknown, RegExp | string, string?]> = [
      ['a URL that is not a data URL', () => ({ input: [{ type: 'image_url', url: 'https://example.com/a.png' }] }), NIM_INVALID_URL_MESSAGE],
      ['a data URL that is not base64', () => ({ input: [{ type: 'image_url', url: 'data:image/png,hello' }] }), NIM_INVALID_URL_MESSAGE],
      ['bad base64', () => ({ input: [{ type: 'image_url', url: 'data:image/png;base64,@@@@' }] }), /base64-encoded image data is invalid/],
      ['a data URL of a non-image type', () => ({ input: [{ type: 'image_url', url: 'data:text/plain;base64,aGVsbG8=' }] }), /png and jpeg/],
      ['PDF bytes declared as PNG', () => ({ input: [{ type: 'image_url', url: dataUrl(Buffer.from('%PDF-1.4\n%%EOF\n'), 'image/png') }] }), /it is application\/pdf/],
      ['a good image followed by a bad one', () => ({ input: [{ type: 'image_url', url: dataUrl(png, 'image/png') }, { type: 'image_url', url: 'data:image/png;base64,AAA' }] }), /^input\[1\]/],
      ['a body without input', () => ({ images: [] }), /^Malformed request: input/],
      ['an unsupported input type', () => ({ input: [{ type: 'text', url: 'x' }] }), /image_url/],
      ['too many merge levels', () => ({ input: [{ type: 'image_url', url: dataUrl(png, 'image/png') }], merge_levels: ['word', 'word'] }), /merge_levels/],
      ['malformed JSON', () => undefined, /^Malformed request: The request body is not valid JSON/, '{"input": ['],
    ];
    for (const [name, body, message, raw] of cases) {
      it(name, async () => {
        const { result, before, after } = await leavesNothing(stack, () => infer(body(), raw ? { raw } : {}));
        expect(result.status).toBe(422);
        expect(Object.keys(result.body)).toEqual(['error']);
        if (typeof message === 'string') expect(result.body.error).toContain(message);
        else expect(result.body.error).toMatch(message);
        conforms(422, result.body);
        expect(after).toEqual(before);
      });
    }

    it('a PNG whose data is corrupt past its signature (refused by ingest, then removed)', async () => {
      const corrupt = Buffer.concat([Buffer.from(png.subarray(0, 40)), Buffer.alloc(200, 7)]);
      const { result, before, after } = await leavesNothing(stack, () => infer({ input: [{ type: 'image_url', url: dataUrl(corrupt, 'image/png') }] }));
      expect(result.status).toBe(422);
      expect(result.body.error).toBeTypeOf('string');
      conforms(422, result.body);
      expect(after).toEqual(before);
    });
  });

  it('answers 401 with the seed body and a Bearer challenge without a valid key', async () => {
    for (const auth of [null, 'Bearer not-a-real-key-123', `Basic ${Buffer.from('nobody-key-123:').toString('base64')}`]) {
      const res = await infer({ input: [{ type: 'image_url', url: dataUrl(png, 'image/png') }] }, { auth });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body).toEqual({ error: 'Missing or invalid API key.' });
      conforms(401, res.body);
    }
  });

  it('answers 429 with Retry-After when the page queue is full (MAX_QUEUED_PAGES=1)', async () => {
    const redis = createRedisConnection(stack.env.REDIS_URL as string);
    const queues = createQueues({ connection: redis, prefix: stack.config.QUEUE_PREFIX });
    const pageId = randomUUID();
    try {
      // A page waiting far in the future stands for a busy pipeline without using the CPU.
      await queues.enqueue('render', { pageId, fileId: randomUUID(), orgId: stack.dev.orgId, requestId: 'queue-full-test' }, { delay: 600_000 });
      const { result, before, after } = await leavesNothing(stack, () => infer({ input: [{ type: 'image_url', url: dataUrl(png, 'image/png') }] }));
      expect(result.status).toBe(429);
      expect(result.body).toEqual({ error: NIM_QUEUE_FULL_MESSAGE });
      expect(Number(result.headers.get('retry-after'))).toBeGreaterThan(0);
      conforms(429, result.body);
      expect(after).toEqual(before);
    } finally {
      await queues.removeJob('render', pageId);
      await queues.close();
      redis.disconnect();
    }
  });
});
