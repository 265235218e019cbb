/** Worker process entry point: `npm run worker` (distributed mode, configured services). */
import { loadConfig } from '@folio/config';
import { createLogger, exitOnSignal, startOrExit } from '@folio/services';
import { startWorkerRuntime } from './worker.runtime.ts';

await startOrExit('folio worker', async () => {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  const runtime = await startWorkerRuntime(config, logger);
  exitOnSignal(logger, () => runtime.close());
});
