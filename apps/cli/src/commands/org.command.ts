import { parseArgs } from 'node:util';
import { loadConfig } from '@folio/config';
import { withConfiguredDatabase } from '../embedded/configured-database.ts';

export const USAGE = `usage: folio org retention --org SLUG --days N|default [--reapply]
  --days N        keep the organization's files N days after upload (1..36500)
  --days default  use the deployment's FILE_RETENTION_DAYS
  --reapply       also re-date the organization's existing files (created_at + days), so a
                  shorter retention removes older files at the next reaper sweep
New uploads take the retention at creation. Uses DATABASE_URL, else the embedded Postgres.`;

/** `folio org retention`: sets how long an organization's files are kept. */
export async function orgCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { org: { type: 'string' }, days: { type: 'string' }, reapply: { type: 'boolean', default: false } },
  });
  const days = values.days === 'default' ? null : Number(values.days);
  const valid = days === null || (Number.isInteger(days) && days >= 1 && days <= 36_500);
  const slug = values.org;
  if (positionals[0] !== 'retention' || !slug || values.days === undefined || !valid) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  return withConfiguredDatabase(config, async (db) => {
    const org = await db.organizations.findBySlug(slug);
    if (!org) {
      process.stderr.write(`No organization with slug "${slug}".\n`);
      return 1;
    }
    const inForce = days ?? config.FILE_RETENTION_DAYS;
    const set = await db.organizations.setRetention(org.id, days, values.reapply ? { reapplyDays: inForce } : {});
    if (!set) return 1;
    const source = days === null ? ` (the default, FILE_RETENTION_DAYS)` : '';
    process.stdout.write(
      `organization: ${org.slug} (${org.id})\nretention:    ${inForce} days${source}\n` +
        (values.reapply ? `re-dated:     ${set.files} existing files\n` : ''),
    );
    return 0;
  });
}
