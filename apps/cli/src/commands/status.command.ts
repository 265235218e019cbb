import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '@folio/config';
import { resolveClientSettings } from '../client/client.settings.ts';
import { createFolioClient } from '../client/folio.client.ts';

export const USAGE = `usage: folio status ID... [--format text|json] [--url URL] [--key KEY]

Prints each file's status and progress (GET /v1/files/{id}): pages done of total, failed pages
with their reasons. --format json prints the progress object, one per line.
Exit status: 0 when every id was found, 1 otherwise.`;

const argsSchema = z.object({
  ids: z.array(z.string().min(1)).min(1, 'expected at least one file ID'),
  format: z.enum(['text', 'json']).default('text'),
  url: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
});

/** `folio status ID... [--format text|json] [--url URL] [--key KEY]`; returns the exit code. */
export async function statusCommand(argv: string[]): Promise<number> {
  let args: z.infer<typeof argsSchema>;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string' }, url: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const parsed = argsSchema.safeParse({ ...values, ids: positionals });
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => (i.path.length ? `--${i.path.join('.')}: ${i.message}` : i.message)).join('\n'));
    args = parsed.data;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const client = createFolioClient(await resolveClientSettings(args, loadConfig()));
  let ok = true;
  for (const id of args.ids) {
    try {
      const file = await client.retrieve(id);
      const p = file.processing;
      if (args.format === 'json') {
        process.stdout.write(`${JSON.stringify({ ...p, filename: file.filename })}\n`);
        continue;
      }
      const failed = p.pages_failed > 0 ? `, ${p.pages_failed} failed` : '';
      process.stdout.write(`${p.file_id}  ${file.filename}  ${p.status}  ${p.pages_done}/${p.pages_total} pages done${failed}\n`);
      for (const page of p.failed_pages) process.stdout.write(`  page ${page.index + 1}: ${page.error ?? 'unknown reason'}\n`);
      if (p.error && p.status === 'failed') process.stdout.write(`  ${p.error}\n`);
    } catch (err) {
      ok = false;
      process.stderr.write(`${id}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  return ok ? 0 : 1;
}
