import { startApiRuntime, type ApiRuntime } from '@folio/api';
import { loadConfig } from '@folio/config';
import { makeTextPng } from '@folio/documents/testing';
import { QUEUE_NAMES } from '@folio/queue';
import { createLogger, createMetrics, freePort } from '@folio/services';
import { startWorkerRuntime, type WorkerRuntime } from '@folio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsClient, type InferenceFileBody } from '../../../apps/api/test/support/nanonets.client.ts';
import { parsePrometheus, sampleValue, type Sample } from '../../../apps/api/test/support/prometheus.text.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

const TOKEN = 'metrics-token-for-tests';
const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'];

async function scrape(url: string, token?: string): Promise<Sample[]> {
  const res = await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

describe('metrics (real pipeline: Postgres, Redis, S3, models)', () => {
  let stack: Stack;
  // Like `npm start`: API and worker in one process, one registry, the worker also on its own port.
  let worker: WorkerRuntime;
  let api: ApiRuntime;

  beforeAll(async () => {
    stack = await startStack();
    const config = loadConfig({ ...stack.env, METRICS_TOKEN: TOKEN, METRICS_PORT: String(await freePort()), OCR_ENGINE_WORKERS: '1' });
    const metrics = createMetrics();
    worker = await startWorkerRuntime(config, createLogger(config, 'worker'), { metrics });
    api = await startApiRuntime(config, createLogger(config, 'api'), { metrics });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.close();
  });

  it('serves /metrics on the API without auth by default: queue depth per queue and state, process RSS, HTTP durations by route', async () => {
    await fetch(`${stack.api.url}/no/such/route/123`);
    await fetch(`${stack.api.url}/v1/health/live`);
    const samples = await scrape(stack.api.url);
    for (const queue of QUEUE_NAMES) {
      for (const state of STATES) expect(sampleValue(samples, 'folio_queue_jobs', { queue, state }), `${queue} ${state}`).toBeGreaterThanOrEqual(0);
    }
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(50e6);
    const count = (route: string, status: string) =>
      sampleValue(samples, 'folio_http_request_duration_seconds_count', { method: 'GET', route, status });
    expect(count('/v1/health/live', '200')).toBe(1);
    // Raw URLs never become label values.
    expect(count('unmatched', '404')).toBe(1);
    expect(samples.some((s) => s.labels.route?.includes('123'))).toBe(false);
  });

  it('counts a processed page and its stage latencies; the API and the worker port show the same registry', async () => {
    const client = nanonetsClient(api.url, stack.dev.apiKey, stack.dev.modelId);
    const png = await makeTextPng(['Metrics are counted', 'Total 42.00']);
    const accepted = await client.labelFile([{ name: 'm.png', bytes: png, type: 'image/png' }], { async: true });
    expect(accepted.status).toBe(200);
    const id = accepted.body.result?.[0]?.request_file_id as string;
    const done = await eventually<InferenceFileBody>(
      async () => {
        const { body } = await client.inferenceFile(id);
        return body.status === 'complete' ? body : undefined;
      },
      180_000,
      'the page to be recognized',
    );
    expect(done.pages_done).toBe(1);

    // Finalize runs after the page settles; its histogram is filled once the file is complete.
    const samples = await eventually(async () => {
      const s = await scrape(api.url, TOKEN);
      return (sampleValue(s, 'folio_stage_duration_seconds_count', { stage: 'finalize' }) ?? 0) >= 1 ? s : undefined;
    }, 10_000, 'the finalize timing');
    expect(sampleValue(samples, 'folio_pages_processed_total', { status: 'done' })).toBe(1);
    for (const stage of ['ingest', 'render', 'detect', 'direction', 'recognize', 'layout', 'ocr', 'finalize']) {
      expect(sampleValue(samples, 'folio_stage_duration_seconds_count', { stage }), stage).toBeGreaterThanOrEqual(1);
      expect(sampleValue(samples, 'folio_stage_duration_seconds_sum', { stage }), stage).toBeGreaterThan(0);
    }
    // The engine's total bounds its parts.
    const sum = (stage: string) => sampleValue(samples, 'folio_stage_duration_seconds_sum', { stage }) as number;
    expect(sum('ocr')).toBeGreaterThanOrEqual(sum('detect') + sum('recognize'));
    expect(sampleValue(samples, 'folio_jobs_total', { queue: 'recognize', outcome: 'completed' })).toBe(1);
    expect(
      sampleValue(samples, 'folio_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v2/OCR/Model/:model_id/LabelFile/Async',
        status: '200',
      }),
    ).toBe(1);
    for (const queue of QUEUE_NAMES) expect(sampleValue(samples, 'folio_queue_jobs', { queue, state: 'waiting' })).toBe(0);

    const fromWorker = await scrape(worker.metricsUrl as string, TOKEN);
    expect(sampleValue(fromWorker, 'folio_pages_processed_total', { status: 'done' })).toBe(1);
    expect(sampleValue(fromWorker, 'folio_queue_jobs', { queue: 'recognize', state: 'active' })).toBe(0);
  });

  it('counts a document refused by ingest under its error code', async () => {
    const client = nanonetsClient(api.url, stack.dev.apiKey, stack.dev.modelId);
    const corrupt = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nthis is not a pdf body\n%%EOF\n');
    const refused = await client.labelFile([{ name: 'broken.pdf', bytes: corrupt, type: 'application/pdf' }], { async: true });
    expect(refused.status).toBe(422);
    const samples = await scrape(api.url, TOKEN);
    expect(sampleValue(samples, 'folio_failures_total', { stage: 'ingest', reason: 'corrupt' })).toBe(1);
    // The failure labels stay within the bounded set.
    expect(samples.filter((s) => s.name === 'folio_failures_total').map((s) => s.labels.reason)).toEqual(['corrupt']);
  });

  it('asks for the token when METRICS_TOKEN is set, on the API and the worker port', async () => {
    for (const url of [api.url, worker.metricsUrl as string]) {
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
    }
  });

  it("answers the worker's liveness and readiness probes", async () => {
    const live = await fetch(`${worker.metricsUrl}/v1/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ live: true });
    const ready = await fetch(`${worker.metricsUrl}/v1/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    expect((await fetch(`${worker.metricsUrl}/nothing`)).status).toBe(404);
  });
});
