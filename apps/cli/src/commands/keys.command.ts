import { parseArgs } from 'node:util';
import { loadConfig } from '@folio/config';
import { DEV_ORGANIZATION_SLUG } from '@folio/db';
import { withConfiguredDatabase } from '../embedded/configured-database.ts';

export const USAGE = `usage: folio keys create [--org SLUG] [--new-org NAME] [--name LABEL] [--admin]
  --org SLUG      add a key to an existing organization (default: the development one)
  --new-org NAME  create an organization (with a full-text OCR model) and its first key
  --admin         the key may also open operator tools (queue dashboard at /admin/queues)
Uses DATABASE_URL, else the embedded Postgres under FOLIO_HOME.`;

/** `folio keys create`: prints a new API key (shown once; only its hash is stored). */
export async function keysCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { org: { type: 'string' }, 'new-org': { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean' } },
  });
  if (positionals[0] !== 'create' || (values.org && values['new-org'])) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  return withConfiguredDatabase(config, async (db) => {
    const org = values['new-org']
      ? await db.organizations.create({ name: values['new-org'] })
      : await db.organizations.findBySlug(values.org ?? DEV_ORGANIZATION_SLUG);
    if (!org) {
      process.stderr.write(`No organization with slug "${values.org ?? DEV_ORGANIZATION_SLUG}" (start Folio once, or use --new-org).\n`);
      return 1;
    }
    const model = values['new-org'] ? await db.models.create({ orgId: org.id, name: 'Full-text OCR' }) : null;
    const admin = values.admin === true;
    const { plaintext } = await db.apiKeys.create(org.id, { ...(values.name ? { name: values.name } : {}), admin });
    process.stdout.write(
      `organization: ${org.slug} (${org.id})\n${model ? `model id:     ${model.id}\n` : ''}api key:      ${plaintext}${admin ? ' (admin)' : ''}\n`,
    );
    return 0;
  });
}
