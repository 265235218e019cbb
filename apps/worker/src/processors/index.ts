import { limitsFromConfig } from '@folio/documents';
import type { QueueName } from '@folio/queue';
import { createRenderPool } from '../render/render.pool.ts';
import { maintenanceSchedule } from '../services/maintenance-schedule.ts';
import { createRenderAhead, renderAheadPages } from '../services/render-ahead.ts';
import { finalizeProcessor } from './finalize.processor.ts';
import { ingestProcessor } from './ingest.processor.ts';
import { maintenanceProcessor } from './maintenance.processor.ts';
import type { HandlerFactory } from './queue-handler.ts';
import { recognizeProcessor } from './recognize.processor.ts';
import { renderProcessor } from './render.processor.ts';
import { trainProcessor } from './train.processor.ts';
import { webhookProcessor } from './webhook.processor.ts';

/**
 * The processor of every queue of libs/queue `JOBS`, the one place processors are named: a job
 * defined there without its line here does not compile. Queue settings (concurrency, timing,
 * outages) come from the definition; worker.registration.ts starts the workers.
 */
export const PROCESSORS: { readonly [N in QueueName]: HandlerFactory<N> } = {
  ingest: (deps) => ({ processor: ingestProcessor(deps) }),
  render: (deps) => {
    const { config } = deps;
    // Pages render in child processes with a deadline and a memory ceiling, so a page built to render
    // forever or to grow without end cannot wedge the worker or keep its memory.
    const renderer = createRenderPool({
      threads: config.RENDER_CONCURRENCY,
      timeoutMs: config.RENDER_TIMEOUT_MS,
      memoryLimitBytes: config.RENDER_MEMORY_MB * 1024 * 1024,
      limits: limitsFromConfig(config),
      load: (key) => deps.storage.getBuffer(key),
      compressionLevel: config.RENDER_PNG_COMPRESSION,
    });
    const ahead = createRenderAhead(deps, renderAheadPages(config));
    return {
      processor: renderProcessor(deps, renderer, ahead),
      started: (worker) => ahead.attach(worker),
      stop: () => ahead.stop(),
      release: () => renderer.close(),
    };
  },
  recognize: async (deps) => {
    // Load the models before taking the first job: readiness means "a recognize worker can run now".
    await deps.engine();
    return { processor: recognizeProcessor(deps) };
  },
  train: (deps) => ({ processor: trainProcessor(deps) }),
  finalize: (deps) => ({ processor: finalizeProcessor(deps) }),
  maintenance: (deps) => {
    const schedule = maintenanceSchedule(deps);
    return { processor: maintenanceProcessor(deps), started: () => schedule.start(), stop: () => schedule.stop() };
  },
  webhook: (deps) => ({ processor: webhookProcessor(deps) }),
};
