import type { Config } from '@folio/config';
import type { EngineOptions } from './engine.options.ts';

/** Engine options from Folio's parsed configuration (OCR_* variables); unset ones keep their defaults. */
export function engineOptionsFromConfig(
  config: Pick<
    Config,
    | 'OCR_MODEL_DIR'
    | 'OCR_DET_MODEL'
    | 'OCR_REC_MODEL'
    | 'OCR_CLS_MODEL'
    | 'OCR_DICT'
    | 'OCR_LATIN_HEAD'
    | 'OCR_MODEL_CACHE_DIR'
    | 'OCR_PROVIDERS'
    | 'OCR_THREADS'
    | 'OCR_INTER_OP_THREADS'
    | 'OCR_GRAPH_OPTIMIZATION'
    | 'OCR_DEVICE_ID'
  >,
): EngineOptions {
  return {
    ...(config.OCR_MODEL_DIR ? { modelDir: config.OCR_MODEL_DIR } : {}),
    ...(config.OCR_DET_MODEL ? { detModelPath: config.OCR_DET_MODEL } : {}),
    ...(config.OCR_REC_MODEL ? { recModelPath: config.OCR_REC_MODEL } : {}),
    ...(config.OCR_CLS_MODEL ? { clsModelPath: config.OCR_CLS_MODEL } : {}),
    ...(config.OCR_DICT ? { dictPath: config.OCR_DICT } : {}),
    ...(config.OCR_MODEL_CACHE_DIR ? { modelCacheDir: config.OCR_MODEL_CACHE_DIR === 'off' ? (false as const) : config.OCR_MODEL_CACHE_DIR } : {}),
    latinHead: config.OCR_LATIN_HEAD === 'on' ? 'head' : config.OCR_LATIN_HEAD,
    executionProviders: [...config.OCR_PROVIDERS],
    threads: config.OCR_THREADS,
    interOpThreads: config.OCR_INTER_OP_THREADS,
    graphOptimizationLevel: config.OCR_GRAPH_OPTIMIZATION,
    deviceId: config.OCR_DEVICE_ID,
  };
}
