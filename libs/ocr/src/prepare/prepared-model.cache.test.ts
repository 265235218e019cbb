import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cachedPreparation, preparationSources, type PreparedModel } from './prepared-model.cache.ts';

/** A model's digest, as prepareModel passes it. */
const source = 'a1'.repeat(32);

function preparer(result: PreparedModel) {
  const calls = { count: 0 };
  return { calls, prepare: () => (calls.count++, result) };
}

describe('cachedPreparation', () => {
  it('prepares once per directory, key and code; later engines read the file', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'folio-model-cache-')), 'nested');
    const { calls, prepare } = preparer({ bytes: Uint8Array.of(9, 8, 7), prunedClasses: true });
    const log: string[] = [];
    const first = cachedPreparation(dir, source, { int8: true }, prepare, (m) => log.push(m));
    const second = cachedPreparation(dir, source, { int8: true }, prepare, (m) => log.push(m));
    expect(calls.count).toBe(1);
    expect([...second.bytes]).toEqual([9, 8, 7]);
    expect(second.prunedClasses).toBe(true);
    expect(first.prunedClasses).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // Other settings or another model are another entry.
    cachedPreparation(dir, source, { int8: false }, prepare, (m) => log.push(m));
    cachedPreparation(dir, 'b2'.repeat(32), { int8: true }, prepare, (m) => log.push(m));
    expect(calls.count).toBe(3);
    expect(readdirSync(dir)).toHaveLength(3);
    expect(log).toEqual([]);
  });

  it('prepares every time when turned off', () => {
    const { calls, prepare } = preparer({ bytes: Uint8Array.of(1), prunedClasses: false });
    cachedPreparation(false, source, {}, prepare, () => undefined);
    cachedPreparation(false, source, {}, prepare, () => undefined);
    expect(calls.count).toBe(2);
  });

  it('still prepares when the directory cannot be written, and says so once', () => {
    const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'folio-model-cache-')), 'a-file');
    writeFileSync(blocker, 'not a directory');
    const { calls, prepare } = preparer({ bytes: Uint8Array.of(4, 2), prunedClasses: false });
    const log: string[] = [];
    const a = cachedPreparation(blocker, source, {}, prepare, (m) => log.push(m));
    const b = cachedPreparation(blocker, source, {}, prepare, (m) => log.push(m));
    expect([...a.bytes, ...b.bytes]).toEqual([4, 2, 4, 2]);
    expect(calls.count).toBe(2);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/prepared models are not cached \(.*a-file/);
  });
});

describe('preparationSources', () => {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const sources = preparationSources();
  const names = sources.map((f) => path.relative(dir, f));

  it('covers every preparation source, calibration file and head weight file, and no test', () => {
    for (const name of ['model.load.ts', 'model.prepare.ts', 'graph.optimize.ts', 'quantize.ts', 'classes.prune.ts', 'head.find.ts', 'latin.head.ts', 'heads/latin.json', 'heads/latin.bin', 'calibration.store.ts', 'onnx.model.ts', 'protobuf.wire.ts', 'prepared-model.cache.ts'])
      expect(names).toContain(name);
    const calibration = readdirSync(path.join(dir, 'calibration')).map((f) => path.join('calibration', f));
    expect(calibration.length).toBeGreaterThan(0);
    expect(names).toEqual(expect.arrayContaining(calibration));
    expect(names.filter((n) => n.includes('.test.'))).toEqual([]);
  });

  it('is all the code a prepared model depends on: preparation imports nothing of the engine outside prepare/', () => {
    for (const file of sources.filter((f) => f.endsWith('.ts'))) {
      const relative = [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g)].map((m) => m[1]);
      expect(relative.filter((i) => !i?.startsWith('./')), file).toEqual([]);
    }
  });
});
