import type { FolioWorker, JobProcessor, QueueName } from '@folio/queue';
import type { WorkerDeps } from '../worker.deps.ts';

/** What one queue runs in a worker process: its processor and what lives and dies with it. */
export interface QueueHandler<N extends QueueName> {
  processor: JobProcessor<N>;
  /** Runs once its worker exists (render-ahead watches the render worker; maintenance keeps its schedules). */
  started?(worker: FolioWorker<N>): void | Promise<void>;
  /** Stops timers of `started`, before the workers close. */
  stop?(): void;
  /** Frees what the processor holds (render threads), after the workers closed. */
  release?(): Promise<void>;
}

/**
 * Builds a queue's handler once per process, only in processes that serve the queue. It may wait
 * before the queue takes jobs (recognize loads its models first).
 */
export type HandlerFactory<N extends QueueName> = (deps: WorkerDeps) => QueueHandler<N> | Promise<QueueHandler<N>>;
