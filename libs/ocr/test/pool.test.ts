import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnginePool, createNoopEngine, createOcrEngine, pageToText, type OcrEngine } from '../src/index.ts';
import { drawPage } from './synthetic.page.ts';

describe('createEnginePool', () => {
  let pool: OcrEngine;
  beforeAll(async () => {
    pool = await createEnginePool({ workers: 2, threads: 1 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('recognizes pages in parallel workers with the engine interface', async () => {
    const texts = ['First page of the batch', 'Second page arrives', 'Third one, still fine'];
    const pages = await Promise.all(texts.map((t) => pool.recognize(drawPage(800, 120, [{ text: t, x: 30, y: 75 }]).raster, { dpi: 200 })));
    expect(pages.map(pageToText)).toEqual(texts);
    expect(pages.every((p) => p.dpi === 200 && p.width === 800)).toBe(true);
  });

  it('transfers the pixel buffer to the worker', async () => {
    const { raster } = drawPage(600, 100, [{ text: 'Moved not copied', x: 20, y: 65 }]);
    const own = { ...raster, data: new Uint8Array(raster.data) };
    const done = pool.recognize(own);
    expect(own.data.byteLength).toBe(0);
    expect(pageToText(await done)).toBe('Moved not copied');
  });

  it('reports a worker-side error on that page only', async () => {
    await expect(pool.recognize({ data: new Uint8Array(4), width: 10, height: 10, channels: 1 })).rejects.toThrow(/raster/);
    const ok = await pool.recognize(drawPage(700, 100, [{ text: 'The pool keeps going', x: 20, y: 65 }]).raster);
    expect(pageToText(ok)).toBe('The pool keeps going');
  });

  it('answers exactly what a single engine answers', async () => {
    const engine = await createOcrEngine({ threads: 1 });
    const { raster } = drawPage(900, 200, [
      { text: 'Same models, same options,', x: 20, y: 70 },
      { text: 'same words and boxes.', x: 20, y: 140 },
    ]);
    const alone = await engine.recognize(raster);
    await engine.close();
    const pooled = await pool.recognize({ ...raster, data: new Uint8Array(raster.data) });
    expect(pooled.blocks).toEqual(alone.blocks);
  });

  it('refuses work after close', async () => {
    const other = await createEnginePool({ workers: 1, threads: 1, useDirectionClassifier: false });
    await other.close();
    await expect(other.recognize(drawPage(100, 50, []).raster)).rejects.toThrow(/closed/);
  });
});

describe('createNoopEngine', () => {
  it('returns one word spanning a page of the raster size without loading models', async () => {
    const noop = createNoopEngine();
    const page = await noop.recognize({ data: new Uint8Array(30 * 20), width: 30, height: 20, channels: 1, dpi: 300 });
    expect(page).toMatchObject({ width: 30, height: 20, dpi: 300, rotation: 0 });
    expect(pageToText(page)).toBe('noop');
    expect(page.blocks[0]?.lines[0]?.words[0]?.quad).toEqual([[0, 0], [30, 0], [30, 20], [0, 20]]);
    await noop.close();
  });
});
