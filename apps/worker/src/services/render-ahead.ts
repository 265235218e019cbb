import type { Config } from '@folio/config';
import { recognizeConcurrency, type FolioWorker } from '@folio/queue';
import type { WorkerDeps } from '../worker.deps.ts';

/** How often a render worker re-reads the recognize backlog while it runs, ms. */
export const RENDER_AHEAD_POLL_MS = 250;

/** The render-ahead bound: `RENDER_AHEAD_PAGES`, else twice the recognize concurrency. 0 = none. */
export function renderAheadPages(c: Parameters<typeof recognizeConcurrency>[0] & Pick<Config, 'RENDER_AHEAD_PAGES'>): number {
  return c.RENDER_AHEAD_PAGES ?? 2 * recognizeConcurrency(c);
}

/**
 * Keeps render at most `limit` pages ahead of recognize. Render is cheap next to OCR: unbounded,
 * it would rasterize a whole backlog long before recognize reaches it (CPU taken from the engines
 * on shared hosts, images piling up in S3, sync requests' pages queued behind that work).
 */
export interface RenderAhead {
  /** The bound in pages (0 = none). */
  readonly limit: number;
  /** Start watching the backlog for `worker` (the render worker of this process). */
  attach(worker: FolioWorker<'render'>): void;
  /**
   * Called by the render processor after it enqueued a recognize job and before it returns: at the
   * bound the worker is paused here, so BullMQ does not fetch the next render job on completion.
   */
  afterEnqueue(): Promise<void>;
  /** Stops watching (the worker is closed by the runtime). */
  stop(): void;
}

/**
 * The backlog is what recognize has not taken yet: its waiting and prioritized jobs (every Folio
 * job carries a priority, so most sit in `prioritized`). At `limit` or above, this process's render
 * worker pauses (jobs it is running finish); below, it resumes. Each render process decides alone,
 * so the backlog may pass the bound by the jobs render workers were running when it was reached:
 * at most (render processes × RENDER_CONCURRENCY) − 1 pages.
 */
export function createRenderAhead(deps: Pick<WorkerDeps, 'queues' | 'logger'>, limit: number, pollMs = RENDER_AHEAD_POLL_MS): RenderAhead {
  let worker: FolioWorker<'render'> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const backlog = async (): Promise<number> => {
    const c = await deps.queues.queue('recognize').getJobCounts('waiting', 'prioritized');
    return (c['waiting'] ?? 0) + (c['prioritized'] ?? 0);
  };

  // Checks run one at a time so a poll and an enqueue never pause and resume across each other.
  const check = (): Promise<void> =>
    (chain = chain.then(async () => {
      const w = worker?.worker;
      if (!w || stopped) return;
      const pages = await backlog();
      if (pages >= limit && !w.isPaused()) {
        await w.pause(true);
        deps.logger.debug({ backlog: pages, limit }, 'render paused: recognize backlog at the render-ahead bound');
      } else if (pages < limit && w.isPaused() && !stopped) {
        await w.resume();
        deps.logger.debug({ backlog: pages, limit }, 'render resumed');
      }
    }).catch((err: unknown) => deps.logger.warn({ err }, 'render-ahead check failed')));

  if (limit <= 0) return { limit: 0, attach() {}, afterEnqueue: async () => {}, stop() {} };
  return {
    limit,
    attach(w) {
      worker = w;
      timer = setInterval(() => void check(), pollMs);
      timer.unref();
      void check();
    },
    afterEnqueue: check,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
