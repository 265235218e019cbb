import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '@folio/config';
import type { FileProgressView, MistralFile } from '@folio/contracts';
import { resolveClientSettings } from '../client/client.settings.ts';
import { createFolioClient, type FolioClient } from '../client/folio.client.ts';
import { ProgressBoard } from '../client/progress.display.ts';
import { FORMAT_EXTENSION, formatResult, type ResultFormat } from '../client/results.format.ts';

export const USAGE = `usage: folio submit FILE... [--wait] [--format text|json|markdown] [--out DIR] [--url URL] [--key KEY]

Uploads each file to a running Folio through the Files API (POST /v1/files): OCR starts at once
and runs in the background. Prints "<file id>\\t<name>" per file (on stderr with --wait).
  --wait       follow each file's progress (GET /v1/files/{id}/events) as a bar on stderr, then
               print the results (POST /v1/files/{id}/ocr) on stdout, or save them with --out
  --format F   text (default): lines in reading order, pages separated by a form feed;
               markdown: pages separated by ---; json: one {id, filename, progress, ocr} per line
  --out DIR    write <name>.txt|.md|.json per file into DIR instead of stdout
  --url URL    the API (default: FOLIO_URL, else the URL \`folio serve\` saved in FOLIO_HOME,
               else http://127.0.0.1:8080)
  --key KEY    API key (default: FOLIO_API_KEY, else the key \`folio serve\` saved in FOLIO_HOME)
Exit status: 0 when every file uploaded (and, with --wait, finished COMPLETE); 1 otherwise.`;

const argsSchema = z.object({
  files: z.array(z.string().min(1)).min(1, 'expected at least one FILE'),
  wait: z.boolean().default(false),
  format: z.enum(['text', 'json', 'markdown']).default('text'),
  out: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
});
type SubmitArgs = z.infer<typeof argsSchema>;

function parse(argv: string[]): SubmitArgs | string {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        wait: { type: 'boolean' },
        format: { type: 'string' },
        out: { type: 'string' },
        url: { type: 'string' },
        key: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return '';
    const parsed = argsSchema.safeParse({ ...values, files: positionals });
    if (!parsed.success) return parsed.error.issues.map((i) => (i.path.length ? `--${i.path.join('.')}: ${i.message}` : i.message)).join('\n');
    if (parsed.data.out && !parsed.data.wait) return '--out needs --wait (results exist once the files are processed)';
    return parsed.data;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

interface Submitted {
  /** The path given on the command line. */
  input: string;
  name: string;
  file: MistralFile;
}

const FINAL_EVENTS = new Set(['complete', 'partial', 'failed']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Follows one file's events to its final one; reconnects (the snapshot catches up) if the stream drops. */
async function follow(client: FolioClient, item: Submitted, board: ProgressBoard): Promise<FileProgressView> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 6; attempt++) {
    if (attempt > 0) await sleep(Math.min(8_000, 500 * 2 ** attempt));
    try {
      for await (const { event, progress } of client.events(item.file.id)) {
        board.update(item.file.id, item.name, progress);
        if (FINAL_EVENTS.has(event)) return progress;
      }
      lastError = new Error('the progress stream ended before the file finished');
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** `<base>.<ext>` per file, with the id added where two inputs share a name. */
function outputNames(items: readonly Submitted[], format: ResultFormat): Map<string, string> {
  const base = (i: Submitted) => path.basename(i.name, path.extname(i.name)) || 'document';
  const counts = new Map<string, number>();
  for (const i of items) counts.set(base(i), (counts.get(base(i)) ?? 0) + 1);
  return new Map(items.map((i) => [i.file.id, `${base(i)}${(counts.get(base(i)) ?? 0) > 1 ? `-${i.file.id}` : ''}.${FORMAT_EXTENSION[format]}`]));
}

/** `folio submit FILE... [--wait] [--format …] [--out DIR] [--url URL] [--key KEY]`; returns the exit code. */
export async function submitCommand(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args ? `${args}\n` : ''}${USAGE}\n`);
    return args ? 2 : 0;
  }
  const client = createFolioClient(await resolveClientSettings(args, loadConfig()));
  let ok = true;
  const submitted: Submitted[] = [];
  for (const input of args.files) {
    try {
      if (!(await stat(input)).isFile()) throw new Error('not a regular file');
      const file = await client.upload(input);
      submitted.push({ input, name: path.basename(input), file });
      const line = args.format === 'json' ? `${JSON.stringify({ id: file.id, filename: file.filename })}\n` : `${file.id}\t${input}\n`;
      // With --wait stdout carries the results, so the ids (to look a file up later) go to stderr.
      (args.wait ? process.stderr : process.stdout).write(line);
    } catch (err) {
      ok = false;
      process.stderr.write(`${input}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  if (!args.wait || submitted.length === 0) return ok ? 0 : 1;

  const board = new ProgressBoard(process.stderr, submitted.map((s) => s.name));
  const outcomes = await Promise.all(
    submitted.map(async (item) => {
      try {
        return { item, progress: await follow(client, item, board) };
      } catch (err) {
        board.note(`${item.input}: ${err instanceof Error ? err.message : String(err)}`);
        return { item, progress: null };
      }
    }),
  );

  const names = outputNames(submitted, args.format);
  if (args.out) await mkdir(args.out, { recursive: true });
  const headed = !args.out && args.format !== 'json' && submitted.length > 1;
  for (const [n, { item, progress }] of outcomes.entries()) {
    if (!progress) {
      ok = false;
      continue;
    }
    if (progress.status !== 'complete') ok = false;
    for (const p of progress.failed_pages) process.stderr.write(`${item.input}: page ${p.index + 1} failed: ${p.error ?? 'unknown reason'}\n`);
    if (progress.status === 'failed') process.stderr.write(`${item.input}: failed${progress.error ? `: ${progress.error}` : ''}\n`);
    let text: string;
    try {
      const ocr = progress.status === 'failed' ? null : await client.ocr(item.file.id);
      if (!ocr && args.format !== 'json') continue;
      text = formatResult(args.format, { id: item.file.id, filename: item.name }, progress, ocr);
    } catch (err) {
      ok = false;
      process.stderr.write(`${item.input}: ${err instanceof Error ? err.message : String(err)}\n`);
      continue;
    }
    if (args.out) {
      const target = path.join(args.out, names.get(item.file.id) as string);
      await writeFile(target, text);
      process.stderr.write(`${item.input} -> ${target}\n`);
    } else {
      process.stdout.write(`${headed ? `${n > 0 ? '\n' : ''}==> ${item.input} <==\n` : ''}${text}`);
    }
  }
  return ok ? 0 : 1;
}
