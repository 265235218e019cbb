import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const isRoot = process.getuid?.() === 0;

/**
 * `npm start` from a clone in root's mode-700 home: embedded Postgres runs as the postgres user,
 * who cannot enter it. Folio must say so in one line with the fix, exit 1, and leave no
 * directory owned by postgres behind (it used to crash with initdb's EACCES stack).
 */
describe.skipIf(!isRoot)('folio serve as root under a mode-700 directory', () => {
  let dir = '';
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('exits 1 with one line naming the directory and the fix, no stack', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'folio-root-home-'));
    const home = path.join(dir, 'clone', '.folio');
    await mkdir(home, { recursive: true });
    await chmod(dir, 0o700);
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'serve'], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, FOLIO_HOME: home, REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^folio serve: embedded Postgres runs as the postgres user/);
    expect(lines[0]).toContain(`${dir} is mode 700`);
    expect(lines[0]).toContain('DATABASE_URL');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(await readdir(home)).toEqual([]);
  });
});
