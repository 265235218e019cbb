/** API process entry point: `npm run api` (distributed mode, configured services). */
import { loadConfig } from '@folio/config';
import { migrate } from '@folio/db';
import { createLogger, exitOnSignal, startOrExit } from '@folio/services';
import { startApiRuntime } from './api.runtime.ts';

await startOrExit('folio api', async () => {
  const config = loadConfig();
  const logger = createLogger(config, 'api');
  if (config.DATABASE_URL) {
    // Advisory-locked: several API replicas starting together apply each migration once.
    const { applied } = await migrate(config.DATABASE_URL);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const runtime = await startApiRuntime(config, logger);
  exitOnSignal(logger, () => runtime.close());
});
