import type { OcrEngine } from './engine.types.ts';
import type { Quad } from './page.ts';
import { assertRaster } from './raster.ts';

/** The one word the noop engine "reads" on every page. */
export const NOOP_WORD = 'noop';

/**
 * BENCHMARKS AND PIPELINE TESTS ONLY: an engine that loads no model and "reads" one word,
 * `noop`, spanning the whole page. The page still gets a result and a prediction, so queue,
 * storage and database throughput (and exactly-once writes) can be measured without OCR cost.
 * Never use it to serve users.
 */
export function createNoopEngine(): OcrEngine {
  return {
    async recognize(raster, opts) {
      assertRaster(raster);
      const { width, height } = raster;
      const quad: Quad = [
        [0, 0],
        [width, 0],
        [width, height],
        [0, height],
      ];
      const word = { text: NOOP_WORD, confidence: 1, quad };
      return {
        width,
        height,
        dpi: opts?.dpi ?? raster.dpi ?? 72,
        rotation: opts?.rotation !== undefined && opts.rotation !== 'auto' ? opts.rotation : 0,
        blocks: [{ kind: 'paragraph', quad, lines: [{ text: NOOP_WORD, confidence: 1, quad, words: [word] }] }],
        timings: { total: 0 },
      };
    },
    async close() {},
  };
}
