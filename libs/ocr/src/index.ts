export * from './page.ts';
export { type Raster, rasterSchema, assertRaster } from './raster.ts';
export type { OcrEngine, RecognizeOptions } from './engine.types.ts';
export { engineOptionsSchema, resolveEngineOptions, defaultModelDir, type EngineOptions } from './engine.options.ts';
export { engineOptionsFromConfig } from './engine.config.ts';
export { createOcrEngine } from './predictor.ts';
export { createNoopEngine } from './noop.engine.ts';
export { pageToText, pageToMarkdown } from './format/page.format.ts';
