// `npm run db:migration -- NAME [--empty]`: writes prisma/migrations/<timestamp>_<name>/ from the
// difference between the last migration's schema snapshot and prisma/schema.prisma. Offline.
import { parseArgs } from 'node:util';
import { createMigration } from '../src/migrations/migration.create.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { empty: { type: 'boolean', default: false }, name: { type: 'string' } },
});
const name = values.name ?? positionals.join(' ');
if (!name.trim()) {
  console.error('Usage: npm run db:migration -- NAME [--empty]');
  process.exit(1);
}
try {
  const created = await createMigration({ name, empty: values.empty });
  if (created.name === null) {
    console.log('schema.prisma has not changed since the last migration; nothing to create (--empty forces one)');
  } else {
    console.log(`Created prisma/migrations/${created.name}/migration.sql`);
    console.log('Review it, then `npm run db:migrate` applies it and `npm run db:generate` refreshes the client.');
  }
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
