import type { Config } from '@folio/config';
import type { OcrEngine } from '@folio/ocr';
import type { FolioMetrics, Services } from '@folio/services';
import type { Logger } from 'pino';

/** Everything a processor may touch, built once per worker process. */
export interface WorkerDeps extends Omit<Services, 'close'> {
  config: Config;
  logger: Logger;
  /** Loaded once, only in processes that run the recognize stage. */
  engine: () => Promise<OcrEngine>;
  /** This process's metrics (shared with the API under `npm start`). */
  metrics: FolioMetrics;
}
