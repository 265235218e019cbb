import type { Config } from '@folio/config';
import type { FolioMetrics, Services } from '@folio/services';
import type { Logger } from 'pino';

/** What routes and services of the API may use; built once by the entry point. */
export interface ApiDeps extends Omit<Services, 'close'> {
  config: Config;
  logger: Logger;
  /** This process's metrics (shared with the workers under `npm start`). */
  metrics: FolioMetrics;
  /**
   * Aborted when the process begins a graceful shutdown (SIGTERM): sync requests stop waiting
   * and answer with the ids to poll, so a restart loses no work and leaves no client hanging.
   */
  shutdown?: AbortSignal;
}
