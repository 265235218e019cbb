import type { Config } from '@folio/config';
import type { EngineOptions } from './engine.options.ts';

/** Engine options from Folio's parsed configuration (OCR_* variables); unset ones keep their defaults. */
export function engineOptionsFromConfig(
  config: Pick<Config, 'OCR_MODEL_DIR' | 'OCR_DET_MODEL' | 'OCR_REC_MODEL' | 'OCR_CLS_MODEL' | 'OCR_DICT' | 'OCR_PROVIDERS' | 'OCR_THREADS'>,
): EngineOptions {
  return {
    ...(config.OCR_MODEL_DIR ? { modelDir: config.OCR_MODEL_DIR } : {}),
    ...(config.OCR_DET_MODEL ? { detModelPath: config.OCR_DET_MODEL } : {}),
    ...(config.OCR_REC_MODEL ? { recModelPath: config.OCR_REC_MODEL } : {}),
    ...(config.OCR_CLS_MODEL ? { clsModelPath: config.OCR_CLS_MODEL } : {}),
    ...(config.OCR_DICT ? { dictPath: config.OCR_DICT } : {}),
    executionProviders: [...config.OCR_PROVIDERS],
    threads: config.OCR_THREADS,
  };
}
