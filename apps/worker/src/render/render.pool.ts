import { Worker } from 'node:worker_threads';
import { DocumentError, type DocumentLimits, type TextLayerPage } from '@folio/documents';
import type { RenderFailure, RenderRequest, RenderResponse, RenderThreadData } from './render.messages.ts';

/** A page rendered to PNG, or read from its text layer alone. */
export interface RenderedPage {
  /** Absent when the text layer reads the whole page (`layer.verdict.source === 'text_layer'`). */
  png: Buffer | undefined;
  /** The PDF page's text layer and verdict, when it was asked for and the document is a PDF. */
  layer: TextLayerPage | undefined;
  /** Pixels. */
  width: number;
  height: number;
  /** The resolution used (lower than asked when the page would exceed the pixel limit). */
  dpi: number;
}

/** Thrown when a page did not render within the deadline; its thread was terminated. */
export class RenderTimeoutError extends Error {
  override readonly name = 'RenderTimeoutError';

  constructor(
    /** Zero-based index of the page. */
    readonly page: number,
    readonly timeoutMs: number,
  ) {
    super(`rendering page ${page + 1} took longer than ${timeoutMs} ms; the page was abandoned`);
  }
}

export interface RenderPoolOptions {
  /** Threads, i.e. pages rendered at once. */
  threads: number;
  /** A page not rendered by then is abandoned and its thread terminated, ms. */
  timeoutMs: number;
  limits: DocumentLimits;
  /** Reads the original of `key` (asked once per thread and document). */
  load: (key: string) => Promise<Uint8Array>;
  /** Opened documents kept per thread. @defaultValue 2 */
  cacheSize?: number;
  /** zlib level of the stored page PNG: written once, read once, so fast beats small. @defaultValue 1 */
  compressionLevel?: number;
}

/** Renders pages in worker threads with a deadline per page. */
export interface RenderPool {
  /**
   * Renders page `index` (0-based) of the original stored under `key` at `dpi`; with `textLayer`,
   * reads a PDF page's text layer first and skips the render when it reads the whole page.
   * Throws `DocumentError` for bad pages.
   */
  render(key: string, index: number, dpi: number, options?: { textLayer?: boolean }): Promise<RenderedPage>;
  close(): Promise<void>;
}

interface Task {
  id: number;
  key: string;
  index: number;
  dpi: number;
  textLayer: boolean;
  resolve: (page: RenderedPage) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | undefined;
  timer: NodeJS.Timeout | undefined;
}

/** The thread loads TypeScript through tsx when running from source, as the engine pool does. */
function spawnThread(data: RenderThreadData): Worker {
  const url = new URL('./render.thread.ts', import.meta.url);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/** The thread's error as the caller's: a DocumentError stays one (permanent), anything else is a plain Error (retried). */
function toError(failure: RenderFailure): Error {
  if (failure.name === 'DocumentError' && failure.refusal) return new DocumentError(failure.refusal, failure.message);
  return new Error(failure.message);
}

/**
 * Render threads started on demand, up to `threads`; pages wait FIFO for a free one. A page
 * that does not finish within `timeoutMs` (a content stream built to never end, a bomb) gets
 * `RenderTimeoutError` and its thread is terminated: the next page gets a fresh thread.
 * The worker's own event loop never runs pdfjs, so its job locks keep being renewed.
 */
export function createRenderPool(options: RenderPoolOptions): RenderPool {
  const data: RenderThreadData = { limits: options.limits, cacheSize: options.cacheSize ?? 2, compressionLevel: options.compressionLevel ?? 1 };
  const slots: Slot[] = [];
  const waiting: Task[] = [];
  let nextId = 1;
  let closed = false;

  const finish = (slot: Slot) => {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.task = undefined;
  };

  const retire = (slot: Slot, err: Error) => {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    const task = slot.task;
    finish(slot);
    task?.reject(err);
    void slot.worker.terminate();
    // A thread that dies before it is ready would die again: fail the waiting pages (their jobs
    // retry later) rather than respawn in a loop.
    if (!slot.ready) {
      for (const t of waiting.splice(0)) t.reject(new Error(`render thread could not start: ${err.message}`));
      return;
    }
    dispatch();
  };

  const send = (slot: Slot, msg: RenderRequest) => {
    const transfer = msg.bytes ? [msg.bytes.buffer as ArrayBuffer] : [];
    slot.worker.postMessage(msg, transfer);
  };

  function addSlot(): Slot {
    const slot: Slot = { worker: spawnThread(data), ready: false, task: undefined, timer: undefined };
    slot.worker.on('message', (msg: RenderResponse) => {
      if (msg.type === 'ready') {
        slot.ready = true;
        dispatch();
        return;
      }
      const task = slot.task;
      if (!task || msg.id !== task.id) return;
      if (msg.type === 'need-bytes') {
        // Reading the original from S3 is not the page's time: the deadline restarts with the bytes.
        clearTimeout(slot.timer);
        options.load(task.key).then(
          (bytes) => {
            if (slot.task !== task) return;
            startDeadline(slot, task);
            // Transferred to the thread: hand it a private copy, never a view into a shared pool.
            send(slot, { type: 'render', id: task.id, key: task.key, index: task.index, dpi: task.dpi, textLayer: task.textLayer, bytes: new Uint8Array(bytes) });
          },
          (err: unknown) => {
            if (slot.task !== task) return;
            finish(slot);
            task.reject(err instanceof Error ? err : new Error(String(err)));
            dispatch();
          },
        );
        return;
      }
      finish(slot);
      if (msg.type === 'rendered') {
        const png = msg.png && Buffer.from(msg.png.buffer, msg.png.byteOffset, msg.png.byteLength);
        task.resolve({ png, layer: msg.layer, width: msg.width, height: msg.height, dpi: msg.dpi });
      } else {
        task.reject(toError(msg.error));
      }
      dispatch();
    });
    slot.worker.on('error', (err) => retire(slot, err));
    slot.worker.on('exit', (code) => {
      if (slots.includes(slot)) retire(slot, new Error(`render thread exited with code ${code}`));
    });
    slots.push(slot);
    return slot;
  }

  function startDeadline(slot: Slot, task: Task): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(
      () => retire(slot, new RenderTimeoutError(task.index, options.timeoutMs)),
      options.timeoutMs,
    );
  }

  function dispatch(): void {
    while (!closed && waiting.length > 0) {
      const idle = slots.find((s) => s.ready && !s.task);
      if (!idle) {
        // Start threads for the pages waiting, up to the limit; they ask for work once ready.
        const starting = slots.filter((s) => !s.ready).length;
        for (let n = Math.min(options.threads - slots.length, waiting.length - starting); n > 0; n--) addSlot();
        return;
      }
      const task = waiting.shift() as Task;
      idle.task = task;
      startDeadline(idle, task);
      send(idle, { type: 'render', id: task.id, key: task.key, index: task.index, dpi: task.dpi, textLayer: task.textLayer });
    }
  }

  return {
    render(key, index, dpi, opts) {
      if (closed) return Promise.reject(new Error('the render pool is closed'));
      return new Promise<RenderedPage>((resolve, reject) => {
        waiting.push({ id: nextId++, key, index, dpi, textLayer: opts?.textLayer ?? false, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const task of waiting.splice(0)) task.reject(new Error('the render pool is closed'));
      const all = slots.splice(0);
      for (const slot of all) {
        const task = slot.task;
        finish(slot);
        task?.reject(new Error('the render pool is closed'));
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
