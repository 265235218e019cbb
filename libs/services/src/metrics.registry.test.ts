import { UnrecoverableError } from '@folio/queue';
import { describe, expect, it } from 'vitest';
import { createMetrics, failureReason, type QueueDepthSource } from './metrics.registry.ts';
import { metricsAuthorized } from './metrics.server.ts';

const depth = (waiting: number) => ({ waiting, prioritized: 0, active: 0, delayed: 0, failed: 0, total: waiting });
const depths = (waiting: number) =>
  ({ ingest: depth(waiting), render: depth(0), recognize: depth(0), finalize: depth(0), maintenance: depth(0), webhook: depth(0) });

describe('failureReason', () => {
  it('keeps known codes from a code property, a code string, or a wrapped message', () => {
    expect(failureReason('corrupt')).toBe('corrupt');
    expect(failureReason('url_timeout')).toBe('url_timeout');
    expect(failureReason(Object.assign(new Error('bad'), { code: 'encrypted' }))).toBe('encrypted');
    expect(failureReason(new UnrecoverableError('too_many_pixels: The page is 120.0 megapixels'))).toBe('too_many_pixels');
    expect(failureReason(new UnrecoverableError('render failed: corrupt: The PDF is damaged'))).toBe('corrupt');
    expect(failureReason(new UnrecoverableError('invalid render job data: pageId: Invalid uuid'))).toBe('invalid_job_data');
  });

  it('folds everything else into `other`, so labels stay bounded', () => {
    expect(failureReason('something_new')).toBe('other');
    expect(failureReason(new Error('ECONNRESET: socket hang up'))).toBe('other');
    expect(failureReason(new Error('recognize failed: weird_code: x'))).toBe('other');
    expect(failureReason(42)).toBe('other');
  });
});

describe('createMetrics', () => {
  it('maps engine timing laps (ms) onto stage histograms (s)', async () => {
    const m = createMetrics();
    m.observeEngineTimings({ detPre: 10, detModel: 100, detPost: 10, direction: 5, recPre: 20, recModel: 400, recPost: 30, layout: 3, total: 600, detModelCpu: 99, bogus: 1 });
    const text = (await m.render()).body;
    expect(text).toContain('folio_stage_duration_seconds_sum{stage="detect"} 0.12');
    expect(text).toContain('folio_stage_duration_seconds_sum{stage="recognize"} 0.45');
    expect(text).toContain('folio_stage_duration_seconds_sum{stage="ocr"} 0.6');
    expect(text).not.toMatch(/stage="(bogus|detModelCpu)"/);
  });

  it('reads queue depths from the first registered source at each scrape, and leaves them out when it hangs', async () => {
    const m = createMetrics();
    const stopFirst = m.observeQueues(async () => depths(3));
    m.observeQueues(async () => depths(7));
    expect((await m.render()).body).toContain('folio_queue_jobs{queue="ingest",state="waiting"} 3');
    stopFirst();
    expect((await m.render()).body).toContain('folio_queue_jobs{queue="ingest",state="waiting"} 7');

    const hung = createMetrics();
    const never: QueueDepthSource = () => new Promise(() => {});
    hung.observeQueues(never);
    const started = Date.now();
    const body = (await hung.render()).body;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(body).not.toMatch(/^folio_queue_jobs\{/m);
    expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});

describe('metricsAuthorized', () => {
  it('is open without a token and needs the exact Bearer token with one', () => {
    expect(metricsAuthorized(undefined, undefined)).toBe(true);
    expect(metricsAuthorized(undefined, 'tok-123')).toBe(false);
    expect(metricsAuthorized('Bearer tok-12', 'tok-123')).toBe(false);
    expect(metricsAuthorized('Basic tok-123', 'tok-123')).toBe(false);
    expect(metricsAuthorized('Bearer tok-123', 'tok-123')).toBe(true);
    expect(metricsAuthorized('bearer  tok-123 ', 'tok-123')).toBe(true);
  });
});
