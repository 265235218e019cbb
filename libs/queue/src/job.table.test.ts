import { loadConfig } from '@folio/config';
import { describe, expect, it } from 'vitest';
import { defaultJobOptions, jobAttempts, jobDefaultsFromConfig } from './job.options.ts';
import { JOBS } from './job.table.ts';
import { JOB_STAGES, QUEUE_NAMES, isQueueName, rowIdOf } from './queue.names.ts';

const config = loadConfig({ JOB_ATTEMPTS: '4', JOB_BACKOFF_MS: '300', WEBHOOK_ATTEMPTS: '9', WEBHOOK_BACKOFF_MS: '700', INGEST_CONCURRENCY: '5' });

describe('job table', () => {
  it('names every queue once, the pipeline stages first and in order', () => {
    expect(QUEUE_NAMES.slice(0, 4)).toEqual(['ingest', 'render', 'recognize', 'finalize']);
    expect(new Set(QUEUE_NAMES).size).toBe(QUEUE_NAMES.length);
    expect(isQueueName('render')).toBe(true);
    expect(isQueueName('toString')).toBe(false);
    // Recognize is timed by the engine's own stages, not per job.
    expect(JOB_STAGES.slice(0, 3)).toEqual(['ingest', 'render', 'finalize']);
  });

  it('derives row ids from the data', () => {
    const page = { pageId: 'p1', fileId: 'f1', orgId: 'o1', requestId: 'r' };
    expect(rowIdOf('render', page)).toBe('p1');
    expect(rowIdOf('recognize', page)).toBe('p1');
    expect(rowIdOf('ingest', { fileId: 'f1', orgId: 'o1', requestId: 'r' })).toBe('f1');
    expect(rowIdOf('maintenance', { task: 'reap' })).toBe('reap');
    expect(rowIdOf('webhook', { deliveryId: 'd1', orgId: 'o1', requestId: 'r' })).toBe('d1');
  });

  it('reads retry settings and concurrency from config', () => {
    const d = jobDefaultsFromConfig(config);
    expect(d).toMatchObject({ attempts: 4, backoffMs: 300, perQueue: { webhook: { attempts: 9, backoffMs: 700 } } });
    expect(d.perQueue.render).toBeUndefined();
    expect(jobAttempts('render', config)).toBe(4);
    expect(jobAttempts('webhook', config)).toBe(9);
    expect(jobAttempts('maintenance', config)).toBe(1);
    expect(JOBS.ingest.concurrency(config)).toBe(5);
    expect(JOBS.recognize.concurrency(config)).toBeGreaterThanOrEqual(config.RECOGNIZE_CONCURRENCY);
  });

  it('fixes maintenance at one attempt and short retention, whatever the shared settings', () => {
    expect(defaultJobOptions('maintenance', { attempts: 7 })).toMatchObject({ attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 100 } });
    expect(defaultJobOptions('render', { attempts: 7 })).toMatchObject({ attempts: 7, removeOnComplete: { count: 1_000 }, removeOnFail: { count: 5_000 } });
    expect(JOBS.maintenance.waitsOutOutages).toBe(false);
    expect(JOBS.render.waitsOutOutages).toBe(true);
  });
});
