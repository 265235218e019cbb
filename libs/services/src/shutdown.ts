import { describeFailure } from './failure.describe.ts';
import type { Logger } from 'pino';

/** On SIGTERM/SIGINT: runs `close` once (finish or release in-flight work), then exits. */
export function exitOnSignal(logger: Logger, close: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

/**
 * Runs a process's start-up; a failure (bad configuration, a service that refuses) ends the
 * process with one line naming the process and the reason and exit status 1, never an
 * unhandled rejection's stack. Causes follow, one `caused by:` line each.
 */
export async function startOrExit(name: string, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (err) {
    process.stderr.write(`${name}: could not start: ${describeFailure(err)}\n`);
    process.exit(1);
  }
}

