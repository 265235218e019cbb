import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '@folio/config';
import { nanonetsModelSchema, type NanonetsModel } from '@folio/contracts';
import { resolveClientSettings, type ClientSettings } from '../client/client.settings.ts';

export const USAGE = `usage: folio models create [CATEGORY...] | list | show MODEL_ID  [--format text|json] [--url URL] [--key KEY]

create: a model that learns CATEGORY... from annotated images (none: full-text OCR), through
POST /api/v2/OCR/Model/. list and show print models with their training status, the annotated
boxes per category and the serving version's F1 per category.`;

const argsSchema = z.object({
  action: z.enum(['create', 'list', 'show']),
  rest: z.array(z.string().min(1)),
  format: z.enum(['text', 'json']).default('text'),
  url: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
});

async function call(settings: ClientSettings, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${settings.url}/api/v2${path}`, {
    method,
    // Nanonets routes take the key as a Basic user name.
    headers: { authorization: `Basic ${Buffer.from(`${settings.apiKey}:`).toString('base64')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as { message?: string };
  if (!res.ok) throw new Error(`${res.status}: ${json.message ?? JSON.stringify(json)}`);
  return json;
}

function describe(m: NanonetsModel): string {
  const cats = m.categories.map((c) => `${c.name} (${c.count} boxes${c.accuracy ? `, F1 ${c.accuracy.f1.toFixed(2)}` : ''})`).join(', ');
  const version = m.serving_version ? `, version ${m.serving_version}` : '';
  return `${m.model_id}  ${m.status}${version}  ${cats || 'full-text OCR'}`;
}

/** `folio models create|list|show`; returns the exit code. */
export async function modelsCommand(argv: string[]): Promise<number> {
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
    const [action, ...rest] = positionals;
    const parsed = argsSchema.safeParse({ ...values, action, rest });
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('\n'));
    if (parsed.data.action === 'show' && parsed.data.rest.length !== 1) throw new Error('show takes one MODEL_ID');
    args = parsed.data;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const settings = await resolveClientSettings(args, loadConfig());
  try {
    const models =
      args.action === 'create'
        ? [nanonetsModelSchema.parse(await call(settings, 'POST', '/OCR/Model/', { categories: args.rest, model_type: 'ocr' }))]
        : args.action === 'show'
          ? [nanonetsModelSchema.parse(await call(settings, 'GET', `/OCR/Model/${encodeURIComponent(args.rest[0] as string)}`))]
          : z.array(nanonetsModelSchema).parse(await call(settings, 'GET', '/OCR/Model/'));
    for (const m of models) process.stdout.write(`${args.format === 'json' ? JSON.stringify(m) : describe(m)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
