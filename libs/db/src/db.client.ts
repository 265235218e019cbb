import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.ts';
import { createRepositories, type Repositories } from './repositories/index.ts';

export interface DbOptions {
  /** Connections in the pool. @defaultValue 10 */
  poolSize?: number;
  /** Milliseconds to wait for a pooled connection before failing. @defaultValue 10_000 */
  connectionTimeoutMs?: number;
  /**
   * Milliseconds a query waits for the server's answer before it fails with pg's "Query read
   * timeout" (classified as unreachable); the pool then drops that connection. Unset: no limit,
   * so a frozen server holds every query on an open connection until it thaws.
   */
  queryTimeoutMs?: number;
}

/** A connected database: the Prisma client, every repository over it, and `close`. */
export interface Db extends Repositories {
  prisma: PrismaClient;
  /** Ends the pool. Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds a Prisma client over `pg` (driver adapter, no native engine) and the repositories.
 * Connects lazily: the first query opens the pool.
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    ...(options.queryTimeoutMs !== undefined ? { query_timeout: options.queryTimeoutMs } : {}),
  });
  const prisma = new PrismaClient({ adapter });
  let closed: Promise<void> | undefined;
  return {
    prisma,
    ...createRepositories(prisma),
    close: () => (closed ??= prisma.$disconnect()),
  };
}
