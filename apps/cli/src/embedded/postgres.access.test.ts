import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedAncestor, embeddedPostgresAccessProblem } from './postgres.access.ts';

describe('embedded Postgres access as root', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'folio-access-'));
  chmodSync(root, 0o755);
  const home = path.join(root, 'home');
  const clone = path.join(home, 'clone');
  mkdirSync(clone, { recursive: true });
  chmodSync(home, 0o700);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the mode-700 directory on the way, itself included or not', () => {
    expect(closedAncestor(path.join(clone, '.folio', 'postgres'))).toBe(home);
    expect(closedAncestor(home)).toBe(home);
    expect(closedAncestor(home, false)).toBeUndefined();
    expect(closedAncestor(path.join(root, 'elsewhere', 'postgres'))).toBeUndefined();
  });

  it('names the directory and the fixes in one line, only for root', () => {
    const problem = embeddedPostgresAccessProblem(path.join(clone, '.folio', 'postgres'), true);
    expect(problem).toContain(`${home} is mode 700`);
    expect(problem).toContain('DATABASE_URL');
    expect(problem).toContain(`chmod o+x ${home}`);
    expect(problem).not.toContain('\n');
    expect(embeddedPostgresAccessProblem(path.join(clone, '.folio', 'postgres'), false)).toBeUndefined();
  });
});
