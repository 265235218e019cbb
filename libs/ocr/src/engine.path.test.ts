import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuIdentity, fastestVariant } from './engine.path.ts';
import { resolveEngineOptions } from './engine.options.ts';
import { prepareModel } from './prepare/model.load.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'folio-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fastestVariant', () => {
  const o = resolveEngineOptions({});
  const log = () => undefined;
  const prepare = (int8: boolean) => () => prepareModel(o.detModelPath, { rewrite: true, int8, int8Graph: 'qdq', cacheDir: dir, log });
  const settings = { intraOpThreads: 1, executionProviders: ['cpu'], log };

  it('times int8 against float on this CPU once, then reads the choice back from the cache', async () => {
    const first = await fastestVariant({ int8: prepare(true), float: prepare(false) }, [1, 3, 64, 64], settings, dir);
    expect(['int8', 'float']).toContain(first.choice.path);
    expect(first.choice.ms?.int8).toBeGreaterThan(0);
    expect(first.choice.ms?.float).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.path.json'))).toHaveLength(1);
    const again = await fastestVariant({ int8: prepare(true), float: prepare(false) }, [1, 3, 64, 64], settings, dir);
    expect(again.choice).toEqual(first.choice);
    expect(cpuIdentity()).not.toBe('');
  });

  it('measures nothing when the model has no int8 variant', async () => {
    const same = await fastestVariant({ int8: prepare(false), float: prepare(false) }, [1, 3, 64, 64], settings, false);
    expect(same.choice).toEqual({ path: 'float' });
  });
});
