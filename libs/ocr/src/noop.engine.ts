import type { OcrEngine } from './engine.types.ts';
import { assertRaster } from './raster.ts';

/**
 * BENCHMARKS ONLY: an engine that loads no model and returns an empty page of the right size, so
 * queue, storage and API throughput can be measured without OCR cost. Never use it to serve users.
 */
export function createNoopEngine(): OcrEngine {
  return {
    async recognize(raster, opts) {
      assertRaster(raster);
      return {
        width: raster.width,
        height: raster.height,
        dpi: opts?.dpi ?? raster.dpi ?? 72,
        rotation: opts?.rotation !== undefined && opts.rotation !== 'auto' ? opts.rotation : 0,
        blocks: [],
        timings: { total: 0 },
      };
    },
    async close() {},
  };
}
