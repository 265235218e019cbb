/** Worker process entry point: `npm run worker` (distributed mode, configured services). */
import { loadConfig } from '@folio/config';
import { createLogger } from '@folio/services';
import { startWorkerRuntime } from './worker.runtime.ts';

const config = loadConfig();
const logger = createLogger(config, 'worker');
const runtime = await startWorkerRuntime(config, logger);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    runtime.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
