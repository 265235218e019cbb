import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuIdentity, fastestOf, fastestVariant, int8Variants } from './engine.path.ts';
import { resolveEngineOptions } from './engine.options.ts';
import { prepareModel } from './prepare/model.load.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'folio-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fastestVariant', () => {
  const o = resolveEngineOptions({});
  const log = () => undefined;
  const prepare = (int8: boolean, int8Weights?: 'u7s8') => () => prepareModel(o.detModelPath, { rewrite: true, int8, int8Graph: 'qdq', int8Weights, cacheDir: dir, log });
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

  it('times a third variant when offered, under a key of its own', async () => {
    const before = readdirSync(dir).filter((f) => f.endsWith('.path.json')).length;
    const three = await fastestVariant({ int8: prepare(true), u7s8: prepare(true, 'u7s8'), float: prepare(false) }, [1, 3, 64, 64], settings, dir);
    expect(Object.keys(three.choice.ms ?? {}).sort()).toEqual(['float', 'int8', 'u7s8']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.path.json'))).toHaveLength(before + 1);
    // 'u7s8' is a prepared model of its own (the weight kind is in the model cache key).
    expect(Buffer.from((await prepare(true, 'u7s8')()).bytes).equals(Buffer.from((await prepare(true)()).bytes))).toBe(false);
  });

  it('measures nothing when the model has no int8 variant', async () => {
    const same = await fastestVariant({ int8: prepare(false), float: prepare(false) }, [1, 3, 64, 64], settings, false);
    expect(same.choice).toEqual({ path: 'float' });
  });
});

describe('fastestOf', () => {
  it('keeps int8 unless another variant is faster by more than 5%', () => {
    expect(fastestOf({ int8: 100, float: 97 })).toBe('int8');
    expect(fastestOf({ int8: 100, float: 90 })).toBe('float');
    expect(fastestOf({ int8: 100, u7s8: 80, float: 90 })).toBe('u7s8');
    expect(fastestOf({ int8: 100, u7s8: 96, float: 120 })).toBe('int8');
  });
});

describe('int8Variants', () => {
  it('offers 7-bit activations only where int8 weights are stored as uint8 (x86 without VNNI)', () => {
    expect(int8Variants('u8')).toEqual(['int8', 'u7s8', 'float']);
    expect(int8Variants('s8')).toEqual(['int8', 'float']);
  });
});
