/**
 * Body of one engine-pool worker thread: opens an engine with the pool's options and answers
 * `recognize` requests one at a time. Started by engine.pool.ts only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createOcrEngine } from '../predictor.ts';
import type { EngineOptions } from '../engine.options.ts';
import type { WorkerRequest, WorkerResponse } from './pool.messages.ts';
import { threadCpuMs } from './thread.cpu.ts';

const port = parentPort;
if (!port) throw new Error('engine.worker.ts must run in a worker thread');

const engine = await createOcrEngine(workerData as EngineOptions).catch((err: unknown) => {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerResponse);
  return undefined;
});

if (engine) {
  port.on('message', (msg: WorkerRequest) => {
    if (msg.type === 'close') {
      void engine.close().then(() => port.close());
      return;
    }
    // The engine runs on this thread (one intra-op thread): its CPU per page goes into the page's
    // timings as `threadCpu` (ms; a batch's split evenly), so pipelines can tell engine work apart.
    const cpu0 = threadCpuMs();
    const spent = (pages: number): Record<string, number> => {
      const now = threadCpuMs();
      return now === undefined || cpu0 === undefined ? {} : { threadCpu: (now - cpu0) / pages };
    };
    if (msg.type === 'recognizeBatch') {
      engine.recognizeBatch!(msg.items).then(
        (outcomes) => {
          const cpu = spent(outcomes.length);
          for (const o of outcomes) if (o.ok) o.page.timings = { ...o.page.timings, ...cpu };
          port.postMessage({ type: 'batchResult', id: msg.id, outcomes } satisfies WorkerResponse);
        },
        (err: unknown) => port.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) } satisfies WorkerResponse),
      );
      return;
    }
    engine.recognize(msg.raster, msg.opts).then(
      (page) => port.postMessage({ type: 'result', id: msg.id, page: { ...page, timings: { ...page.timings, ...spent(1) } } } satisfies WorkerResponse),
      (err: unknown) =>
        port.postMessage({
          type: 'error',
          id: msg.id,
          message: err instanceof Error ? err.message : String(err),
        } satisfies WorkerResponse),
    );
  });
  port.postMessage({ type: 'ready' } satisfies WorkerResponse);
}
