import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, ownerOf, readImportGraph } from './import.graph.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const graph = readImportGraph(root, ['apps', 'libs', 'bench', 'test', 'infra']);
const files = [...graph.values()];

/** Each outside system is wrapped by one lib; everything else goes through it. */
const OWNERS: Record<string, string> = {
  '@prisma/client': 'libs/db',
  '@prisma/adapter-pg': 'libs/db',
  '@aws-sdk/client-s3': 'libs/storage',
  '@aws-sdk/lib-storage': 'libs/storage',
  '@aws-sdk/s3-request-presigner': 'libs/storage',
  bullmq: 'libs/queue',
  'onnxruntime-node': 'libs/ocr',
};

describe('import graph', () => {
  it('reads the tree', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(graph.get('apps/api/src/main.ts')?.imports.length).toBeGreaterThan(0);
  });

  it('has no import cycles in hand-written code', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const a = { path: 'a.ts', imports: ['b.ts'], packages: [] };
    const b = { path: 'b.ts', imports: ['a.ts'], packages: [] };
    const c = { path: 'c.ts', imports: ['a.ts'], packages: [] };
    expect(importCycles(new Map([a, b, c].map((f) => [f.path, f])))).toEqual([['a.ts', 'b.ts']]);
  });

  it('keeps libs free of apps, and the engine and documents free of other libs but config', () => {
    const offences: string[] = [];
    for (const f of files) {
      const owner = ownerOf(f.path);
      if (!owner.startsWith('libs/')) continue;
      for (const target of f.imports) {
        const to = ownerOf(target);
        if (to.startsWith('apps/')) offences.push(`${f.path} → ${target}`);
        // Scripts (calibration, evaluation) may drive the engine with documents; the engine itself may not.
        const isolated = (owner === 'libs/ocr' || owner === 'libs/documents') && f.path.includes('/src/');
        if (isolated && to.startsWith('libs/') && to !== owner && to !== 'libs/config') offences.push(`${f.path} → ${target}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('imports Prisma, the AWS SDK, BullMQ and onnxruntime in their own lib only', () => {
    const offences = files.flatMap((f) =>
      f.packages.filter((p) => OWNERS[p] !== undefined && OWNERS[p] !== ownerOf(f.path)).map((p) => `${f.path} imports ${p}`),
    );
    expect(offences).toEqual([]);
  });

  it('imports only @folio subpaths that a package exports', () => {
    const unresolved = files.flatMap((f) => f.imports.filter((i) => i.startsWith('@folio/')).map((i) => `${f.path} → ${i}`));
    expect(unresolved).toEqual([]);
  });
});
