import type { OcrEngine } from './engine.types.ts';

/**
 * An engine that loads no model and finds no text: pages come back empty at their own size.
 * For control-plane benchmarks only (OCR_ENGINE=noop), to measure api → queue → worker → db alone.
 */
export function createNoopEngine(): OcrEngine {
  return {
    recognize: async (raster, opts) => ({
      width: raster.width,
      height: raster.height,
      dpi: opts?.dpi ?? raster.dpi ?? 72,
      rotation: 0,
      blocks: [],
      timings: {},
    }),
    close: async () => {},
  };
}
