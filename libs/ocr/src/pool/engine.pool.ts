import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { BatchItem, OcrEngine, PageOutcome, RecognizeOptions } from '../engine.types.ts';
import { engineOptionsSchema, type EngineOptions } from '../engine.options.ts';
import type { OcrPage } from '../page.ts';
import { assertRaster, type Raster } from '../raster.ts';
import type { WorkerRequest, WorkerResponse } from './pool.messages.ts';

export const enginePoolOptionsSchema = engineOptionsSchema.extend({
  /** Engine worker threads, each with its own ONNX sessions. @defaultValue 2 */
  workers: z.number().int().positive().default(2),
  /**
   * Hand the page's pixel buffer to the worker instead of copying it. The caller's `raster.data`
   * is then detached (length 0) once `recognize` is called. @defaultValue true
   */
  transfer: z.boolean().default(true),
});

export type EnginePoolOptions = z.input<typeof enginePoolOptionsSchema>;

interface PageJob {
  id: number;
  raster: Raster;
  opts: RecognizeOptions | undefined;
  resolve: (page: OcrPage) => void;
  reject: (err: Error) => void;
}

/** Several pages for one worker's `recognizeBatch`. */
interface BatchJob {
  id: number;
  items: BatchItem[];
  resolve: (outcomes: PageOutcome[]) => void;
  reject: (err: Error) => void;
}

type Job = PageJob | BatchJob;

interface Slot {
  worker: Worker;
  job: Job | undefined;
  ready: boolean;
}

/** A view into a larger buffer (Buffer pool, shared memory) is copied so nothing else is detached. */
function ownBuffer(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? data : data.slice();
}

/**
 * Posts `msg` moving `buffers` to the thread; when Node refuses to move one (Node 22+ will not
 * transfer memory a native addon owns, such as @napi-rs/canvas pixels, nor Buffer's shared pool)
 * the message is copied instead.
 */
function postMessageMovingWhatItCan(worker: Worker, msg: unknown, buffers: ArrayBuffer[]): void {
  try {
    worker.postMessage(msg, buffers);
  } catch (err) {
    if (buffers.length === 0 || !(err instanceof Error && err.name === 'DataCloneError')) throw err;
    worker.postMessage(msg);
  }
}

/**
 * A build (`npm run build`) ships the thread as dist/engine.worker.js, found through the
 * `folioDist` global its banner sets; from source (tests, `tsx` entry points) the thread loads
 * TypeScript through tsx, which costs each thread ~0.5 CPU-s to register.
 */
function spawnWorker(engineOptions: EngineOptions): Worker {
  const dist = (globalThis as { folioDist?: string }).folioDist;
  if (dist) return new Worker(new URL('engine.worker.js', dist), { workerData: engineOptions });
  const url = new URL('./engine.worker.ts', import.meta.url);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: engineOptions });
}

/**
 * N engines in worker threads behind the `OcrEngine` interface: pages go to the first idle worker
 * (FIFO queue otherwise), so N pages are recognized in parallel. Use `threads: 1` per engine and
 * one worker per core for the most pages per CPU-second.
 * Resolves once every worker has loaded its models; rejects if one cannot.
 */
export async function createEnginePool(options: EnginePoolOptions = {}): Promise<OcrEngine> {
  const { workers, transfer, ...rest } = enginePoolOptionsSchema.parse(options);
  const engineOptions: EngineOptions = rest;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  const dispatch = () => {
    for (const slot of slots) {
      if (!slot.ready || slot.job) continue;
      const job = queue.shift();
      if (!job) return;
      slot.job = job;
      const rasters = 'items' in job ? job.items.map((i) => i.raster) : [job.raster];
      const msg: WorkerRequest = 'items' in job ? { type: 'recognizeBatch', id: job.id, items: job.items } : { type: 'recognize', id: job.id, raster: job.raster, opts: job.opts };
      const buffers = transfer ? [...new Set(rasters.map((r) => r.data.buffer).filter((b) => b instanceof ArrayBuffer))] : [];
      postMessageMovingWhatItCan(slot.worker, msg, buffers);
    }
  };

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const slot: Slot = { worker: spawnWorker(engineOptions), job: undefined, ready: false };
      slots.push(slot);
      slot.worker.on('message', (msg: WorkerResponse) => {
        if (msg.type === 'ready') {
          slot.ready = true;
          resolve();
        } else if (msg.type === 'failed') {
          reject(new Error(`ocr worker failed to start: ${msg.message}`));
        } else {
          const job = slot.job;
          slot.job = undefined;
          if (job && msg.type === 'result' && !('items' in job)) job.resolve(msg.page);
          else if (job && msg.type === 'batchResult' && 'items' in job) job.resolve(msg.outcomes);
          else if (job && msg.type === 'error') job.reject(new Error(msg.message));
        }
        dispatch();
      });
      slot.worker.on('error', (err) => {
        reject(err);
        slot.job?.reject(err);
        slot.job = undefined;
      });
      slot.worker.on('exit', (code) => {
        slots.splice(slots.indexOf(slot), 1);
        const err = new Error(`ocr worker exited with code ${code}`);
        slot.job?.reject(err);
        reject(err);
        // A crashed worker is replaced so the pool keeps its size.
        if (!closed) start().then(dispatch, () => undefined);
      });
    });

  try {
    await Promise.all(Array.from({ length: workers }, start));
  } catch (err) {
    closed = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw err;
  }

  return {
    recognize(raster, opts) {
      if (closed) return Promise.reject(new Error('ocr engine pool is closed'));
      try {
        assertRaster(raster);
      } catch (err) {
        return Promise.reject(err);
      }
      const data = transfer ? ownBuffer(raster.data) : raster.data;
      return new Promise<OcrPage>((resolve, reject) => {
        queue.push({ id: nextId++, raster: { ...raster, data }, opts, resolve, reject });
        dispatch();
      });
    },
    recognizeBatch(items) {
      if (closed) return Promise.reject(new Error('ocr engine pool is closed'));
      // Invalid rasters travel too: the worker fails their entries alone.
      const owned = items.map((i) => ({ ...i, raster: { ...i.raster, data: transfer ? ownBuffer(i.raster.data) : i.raster.data } }));
      return new Promise<PageOutcome[]>((resolve, reject) => {
        queue.push({ id: nextId++, items: owned, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('ocr engine pool is closed'));
      await Promise.all(
        slots.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.worker.once('exit', () => resolve());
              s.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
            }),
        ),
      );
    },
  };
}
