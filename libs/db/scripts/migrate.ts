// `npm run db:migrate`: applies pending migrations to DATABASE_URL (creating the database if needed).
import { loadConfig } from '@folio/config';
import { migrate } from '../src/migrations/migration.runner.ts';

const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/folio)');
  process.exit(1);
}
try {
  const result = await migrate(config.DATABASE_URL, { log: (line) => console.log(line) });
  console.log(
    result.applied.length
      ? `${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already applied`
      : `No pending migrations (${result.alreadyApplied.length} applied)`,
  );
  if (result.unknown.length) console.warn(`Applied in the database but not found here: ${result.unknown.join(', ')}`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
