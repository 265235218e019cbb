import { pino, type Logger } from 'pino';
import type { Config } from '@folio/config';

/** One JSON logger per process; `name` says which part (api, worker, serve) wrote a line. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string): Logger {
  return pino({ name, level: config.LOG_LEVEL });
}
