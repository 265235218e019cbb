/**
 * Body of one engine-pool worker thread: opens an engine with the pool's options and answers
 * `recognize` requests one at a time. Started by engine.pool.ts only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createOcrEngine } from '../predictor.ts';
import type { EngineOptions } from '../engine.options.ts';
import type { WorkerRequest, WorkerResponse } from './pool.messages.ts';

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
    if (msg.type === 'recognizeBatch') {
      engine.recognizeBatch!(msg.items).then(
        (outcomes) => port.postMessage({ type: 'batchResult', id: msg.id, outcomes } satisfies WorkerResponse),
        (err: unknown) => port.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) } satisfies WorkerResponse),
      );
      return;
    }
    engine.recognize(msg.raster, msg.opts).then(
      (page) => port.postMessage({ type: 'result', id: msg.id, page } satisfies WorkerResponse),
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
