import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The BullMQ key prefix `folio serve` uses when QUEUE_PREFIX is not set: `folio-` + 8 hex
 * characters of the database's identity — the configured DATABASE_URL's server and database
 * (credentials left out), else the real path of the data directory holding the embedded
 * Postgres. Two instances on one Redis with their own databases thus never take each other's
 * jobs, while processes on one database (which must share queues) get the same prefix.
 */
export function embeddedQueuePrefix(home: string, databaseUrl?: string): string {
  let identity: string;
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      identity = `postgres://${url.hostname}:${url.port || '5432'}${url.pathname}`;
    } catch {
      identity = databaseUrl;
    }
  } else {
    const dir = path.resolve(home);
    try {
      identity = realpathSync(dir);
    } catch {
      identity = dir;
    }
  }
  return `folio-${createHash('sha256').update(identity).digest('hex').slice(0, 8)}`;
}
