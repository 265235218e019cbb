import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { DocumentError, type BudgetExcess, type DocumentLimits, type PageBudgetInput, type TextLayerPage } from '@folio/documents';
import { UnrecoverableError } from '@folio/queue';
import type { RenderedSheet, RenderFailure, RenderRequest, RenderResponse, RenderThreadData } from './render.messages.ts';

/** A page rendered to PNG, or read from its text layer alone, or with its image regions rendered alone. */
export interface RenderedPage {
  /** Absent when the text layer reads the whole page (`text_layer`), or a mixed page's regions came apart (`sheet`). */
  png: Buffer | undefined;
  /** A mixed page's image regions, packed on one sheet: what recognize OCRs instead of the page. */
  sheet?: RenderedSheet<Buffer>;
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

/**
 * Thrown when rendering a page needed more memory than its budget; the render process was
 * killed (which gives all of it back). Or, with `budget`, when the page was refused before
 * painting because its content asks for more than a page may (see `openPdfBudgetCheck`).
 * Permanent: the same page would need as much next time, so it fails at once instead of using
 * further attempts.
 */
export class RenderTooComplexError extends UnrecoverableError {
  override readonly name = 'RenderTooComplexError';

  constructor(
    /** Zero-based index of the page. */
    readonly page: number,
    /** The ceiling it passed (or would have), bytes. */
    readonly limitBytes: number,
    /** The budget it went over before painting, when it was refused by one. */
    readonly budget?: BudgetExcess,
  ) {
    super(
      budget
        ? `page ${page + 1} is too complex to render: ${budget.found} over the ${budget.budget} budget of ${budget.limit}; refused before painting`
        : `rendering page ${page + 1} needed more than ${Math.round(limitBytes / 1024 / 1024)} MB; the page is too complex`,
    );
  }
}

export interface RenderPoolOptions {
  /** Render processes, i.e. pages rendered at once. */
  threads: number;
  /** A page not rendered by then is abandoned and its process killed, ms. */
  timeoutMs: number;
  /**
   * Resident memory one render process may reach while rendering a page (its baseline with pdfjs
   * loaded included); past it the process is killed and the page fails with
   * {@link RenderTooComplexError}. Checked every `memoryCheckMs`.
   * @defaultValue 1_073_741_824 (1 GiB)
   */
  memoryLimitBytes?: number;
  /** @defaultValue 50 ms */
  memoryCheckMs?: number;
  limits: DocumentLimits;
  /** Reads the original of `key` (asked once per thread and document). */
  load: (key: string) => Promise<Uint8Array>;
  /** Opened documents kept per thread. @defaultValue 2 */
  cacheSize?: number;
  /** zlib level of the stored page PNG: written once, read once, so fast beats small. @defaultValue 1 */
  compressionLevel?: number;
  /** What a PDF page may ask of pdfjs, checked before parsing or painting it. @defaultValue `pageBudgetSchema`'s defaults */
  budget?: PageBudgetInput;
}

/** Renders pages in child processes with a deadline and a memory ceiling per page. */
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
  worker: ChildProcess;
  ready: boolean;
  task: Task | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Samples the process's RSS while it renders a page. */
  watch: NodeJS.Timeout | undefined;
}

/**
 * A render process. A build forks `dist/render.child.js` (an entry point of its own in
 * scripts/build.entries.json; `folioDist` is set by the bundle's banner, as for the engine pool);
 * from source it forks `render.child.ts` through tsx, as the worker itself runs. The V8 heap gets
 * the same ceiling as the whole process (native memory is watched from outside).
 */
function spawnProcess(data: RenderThreadData, memoryLimitBytes: number): ChildProcess {
  const dist = (globalThis as { folioDist?: string }).folioDist;
  const built = dist ? new URL('render.child.js', dist) : undefined;
  const fromSource = built === undefined || !existsSync(built);
  const entry = fromSource ? new URL('./render.child.ts', import.meta.url) : built;
  return fork(entry, [], {
    execArgv: [...(fromSource ? ['--import', 'tsx'] : []), `--max-old-space-size=${Math.max(64, Math.floor(memoryLimitBytes / 1024 / 1024))}`],
    env: { ...process.env, FOLIO_RENDER_DATA: JSON.stringify(data) },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

const PAGE_SIZE = 4096;
/** Resident bytes of process `pid` (Linux `/proc`); undefined where that cannot be read. */
export function residentBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
  } catch {
    return undefined;
  }
}

/**
 * The process's error as the caller's: a DocumentError stays one and a page over budget is too
 * complex (both permanent), anything else is a plain Error (retried).
 */
function toError(failure: RenderFailure, page: number, memoryLimit: number): Error {
  if (failure.name === 'DocumentError' && failure.refusal) return new DocumentError(failure.refusal, failure.message);
  if (failure.budget) return new RenderTooComplexError(page, memoryLimit, failure.budget);
  return new Error(failure.message);
}

/**
 * Render processes started on demand, up to `threads`; pages wait FIFO for a free one. A page
 * that does not finish within `timeoutMs` (a content stream built to never end) gets
 * `RenderTimeoutError`, one whose process grows past `memoryLimitBytes` (an inflate or
 * content-stream bomb) gets `RenderTooComplexError`; either way its process is killed, which
 * gives back all its memory, and the next page gets a fresh one. The worker's own event loop
 * never runs pdfjs, so its job locks keep being renewed.
 */
export function createRenderPool(options: RenderPoolOptions): RenderPool {
  const data: RenderThreadData = {
    limits: options.limits,
    cacheSize: options.cacheSize ?? 2,
    compressionLevel: options.compressionLevel ?? 1,
    ...(options.budget ? { budget: options.budget } : {}),
  };
  const memoryLimit = options.memoryLimitBytes ?? 1024 * 1024 * 1024;
  const memoryCheckMs = options.memoryCheckMs ?? 50;
  const slots: Slot[] = [];
  const waiting: Task[] = [];
  let nextId = 1;
  let closed = false;

  const finish = (slot: Slot) => {
    clearTimeout(slot.timer);
    clearInterval(slot.watch);
    slot.timer = undefined;
    slot.watch = undefined;
    slot.task = undefined;
  };

  const retire = (slot: Slot, err: Error) => {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    const task = slot.task;
    finish(slot);
    task?.reject(err);
    slot.worker.kill('SIGKILL');
    // A thread that dies before it is ready would die again: fail the waiting pages (their jobs
    // retry later) rather than respawn in a loop.
    if (!slot.ready) {
      for (const t of waiting.splice(0)) t.reject(new Error(`render thread could not start: ${err.message}`));
      return;
    }
    dispatch();
  };

  const send = (slot: Slot, msg: RenderRequest) => {
    slot.worker.send(msg);
  };

  function addSlot(): Slot {
    const slot: Slot = { worker: spawnProcess(data, memoryLimit), ready: false, task: undefined, timer: undefined, watch: undefined };
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
      // A page that left its process fat (glibc keeps freed native memory) would crowd the next
      // page's budget: start that one in a fresh process instead. So does a page refused over
      // budget: judging it inflated up to the budget, which a fresh process gives back for sure.
      const rss = residentBytes(slot.worker.pid);
      if ((rss !== undefined && rss > memoryLimit / 2) || (msg.type === 'error' && msg.error.budget)) {
        slots.splice(slots.indexOf(slot), 1);
        slot.worker.kill('SIGKILL');
      }
      if (msg.type === 'rendered') {
        const buffer = (b: Uint8Array | undefined) => b && Buffer.from(b.buffer, b.byteOffset, b.byteLength);
        const sheet = msg.sheet && { png: buffer(msg.sheet.png), slots: msg.sheet.slots };
        task.resolve({ png: buffer(msg.png), ...(sheet ? { sheet } : {}), layer: msg.layer, width: msg.width, height: msg.height, dpi: msg.dpi });
      } else {
        task.reject(toError(msg.error, task.index, memoryLimit));
      }
      dispatch();
    });
    slot.worker.on('error', (err) => retire(slot, err));
    slot.worker.on('exit', (code, signal) => {
      if (slots.includes(slot)) retire(slot, new Error(`render process exited with ${code ?? signal}`));
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
    // Native memory (pdfjs buffers, canvas) is invisible to V8's limits: watch the whole process.
    clearInterval(slot.watch);
    slot.watch = setInterval(() => {
      const rss = residentBytes(slot.worker.pid);
      if (rss !== undefined && rss > memoryLimit && slot.task === task) retire(slot, new RenderTooComplexError(task.index, memoryLimit));
    }, memoryCheckMs);
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
      await Promise.all(
        all.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.worker.exitCode !== null || s.worker.signalCode !== null) return resolve();
              s.worker.once('exit', () => resolve());
              s.worker.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
