import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startApiRuntime } from '@folio/api';
import { loadConfig, type Config } from '@folio/config';
import { migrate, createDb } from '@folio/db';
import { createLogger, createMetrics } from '@folio/services';
import { startEmbeddedS3 } from '@folio/storage';
import { startWorkerRuntime } from '@folio/worker';
import { z } from 'zod';
import { startEmbeddedPostgres } from '../embedded/postgres.ts';
import { embeddedQueuePrefix } from '../embedded/queue-prefix.ts';
import { resolveRedis } from '../embedded/redis.ts';

const devCredentialsSchema = z.object({ apiKey: z.string(), modelId: z.string().uuid(), url: z.string().optional() });

/** The development key and model are kept under FOLIO_HOME so a restart prints the same ones. */
async function devCredentials(config: Config, home: string) {
  const file = path.join(home, 'dev-credentials.json');
  const saved = existsSync(file) ? devCredentialsSchema.safeParse(JSON.parse(await readFile(file, 'utf8'))) : null;
  return {
    file,
    apiKey: config.FOLIO_DEV_API_KEY ?? (saved?.success ? saved.data.apiKey : undefined),
    modelId: config.FOLIO_DEV_MODEL_ID ?? (saved?.success ? saved.data.modelId : undefined),
  };
}

/**
 * The dev key stays a plain key (it is printed on every start and pasted into curl lines); an
 * admin key is minted only on request. The command reuses this run's database, since the
 * embedded Postgres's data directory is locked while Folio runs.
 */
function adminKeyCommand(embeddedUrl: string | undefined): string {
  // With a configured DATABASE_URL the caller's environment already points the CLI at it.
  const env = embeddedUrl ? `DATABASE_URL='${embeddedUrl}' ` : '';
  return `${env}npm run folio -- keys create --admin --name operator`;
}

export const USAGE = `usage: folio serve

Runs the API and every worker stage in one process on embedded defaults: Postgres under
FOLIO_HOME unless DATABASE_URL is set, an in-process S3 server unless S3_ENDPOINT is set, Redis
from REDIS_URL, else 127.0.0.1:6379, else a redis-server it starts. Queues are prefixed with
QUEUE_PREFIX, else one derived from the database (FOLIO_HOME or DATABASE_URL), so instances
with their own data share a Redis safely. Prints the development key
and saves it, with this run's URL, in FOLIO_HOME/dev-credentials.json for \`folio submit\`.
Stops on SIGINT or SIGTERM.`;

/**
 * `folio serve` (`npm start`): API and every worker stage in one process on embedded defaults —
 * Postgres and S3 started here unless configured, Redis found or started.
 */
export async function serveCommand(_args: string[]): Promise<number> {
  const base = loadConfig();
  const logger = createLogger(base, 'serve');
  const log = (line: string) => logger.info(line);
  const home = path.resolve(base.FOLIO_HOME);
  await mkdir(home, { recursive: true });
  const stops: Array<() => Promise<void>> = [];

  try {
    const postgres = base.DATABASE_URL ? null : await startEmbeddedPostgres(home, log);
    if (postgres) stops.push(postgres.stop);
    const s3 = base.S3_ENDPOINT
      ? null
      : await startEmbeddedS3({
          directory: path.join(home, 's3'),
          buckets: [base.S3_BUCKET],
          credentials: { accessKeyId: base.S3_ACCESS_KEY_ID, secretAccessKey: base.S3_SECRET_ACCESS_KEY },
        });
    if (s3) stops.push(s3.close);
    const redis = await resolveRedis(home, base.REDIS_URL, log);
    if (redis.stop) stops.push(redis.stop);

    const config = loadConfig(process.env, {
      DATABASE_URL: base.DATABASE_URL ?? postgres?.url,
      S3_ENDPOINT: base.S3_ENDPOINT ?? s3?.endpoint,
      REDIS_URL: redis.url,
      // The schema's default ('folio') would make two instances on one Redis share queues.
      QUEUE_PREFIX: process.env['QUEUE_PREFIX'] ?? embeddedQueuePrefix(home, base.DATABASE_URL),
    });
    const databaseUrl = config.DATABASE_URL as string;
    await migrate(databaseUrl, { log });

    const creds = await devCredentials(config, home);
    const db = createDb(databaseUrl);
    const dev = await db.organizations.ensureDevOrganization({
      ...(creds.apiKey ? { apiKey: creds.apiKey } : {}),
      ...(creds.modelId ? { modelId: creds.modelId } : {}),
    });
    await db.close();

    // One process, one registry: the API's /metrics shows the workers' pages and stage timings too.
    const metrics = createMetrics();
    const worker = await startWorkerRuntime(config, createLogger(config, 'worker'), { metrics });
    stops.unshift(() => worker.close());
    const api = await startApiRuntime(config, createLogger(config, 'api'), { metrics });
    stops.unshift(() => api.close());
    // `folio submit` / `folio status` read the key and this run's URL from here (its PORT may not be 8080).
    await writeFile(creds.file, JSON.stringify({ apiKey: dev.plaintextKey, modelId: dev.model.id, url: api.url }, null, 2), { mode: 0o600 });

    const modelId = dev.model.id;
    process.stdout.write(
      [
        '',
        `Folio is running at ${api.url}`,
        `  API key:  ${dev.plaintextKey}`,
        `  model id: ${modelId}`,
        `  data:     ${home}`,
        `  queues:   ${config.QUEUE_PREFIX} (QUEUE_PREFIX)`,
        '',
        'Try it (async upload, then poll the returned request_file_id):',
        `  curl -u '${dev.plaintextKey}:' -F 'file=@document.pdf' ${api.url}/api/v2/OCR/Model/${modelId}/LabelFile/Async/`,
        `  curl -u '${dev.plaintextKey}:' ${api.url}/api/v2/Inferences/Model/${modelId}/InferenceRequest/REQUEST_FILE_ID`,
        '',
        `Metrics: ${api.url}/metrics   Queue dashboard: ${api.url}/admin/queues (admin keys only; the key above is not one).`,
        'Create an admin key while Folio runs (the key is printed once):',
        `  ${adminKeyCommand(postgres?.url)}`,
        '',
      ].join('\n'),
    );
  } catch (err) {
    for (const stop of stops) await stop().catch(() => {});
    throw err;
  }

  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  logger.info('shutting down');
  for (const stop of stops) await stop().catch((err: unknown) => logger.error({ err }, 'stop failed'));
  return 0;
}
