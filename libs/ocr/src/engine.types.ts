import type { OcrPage, Rotation } from './page.ts';
import type { Raster } from './raster.ts';
import type { PathChoice } from './engine.path.ts';

/** The CPU an engine runs on and the numeric path it chose for each model. */
export interface EnginePaths {
  cpu: string;
  detector: PathChoice;
  recognizer: PathChoice;
}

export interface RecognizeOptions {
  /** Resolution to report in the result; defaults to `raster.dpi`, else 72. */
  dpi?: number;
  /** A known page rotation (degrees clockwise) skips orientation detection. @defaultValue 'auto' */
  rotation?: Rotation | 'auto';
  /** This page's detector thresholds instead of the engine's (docTR's `binary_threshold`, `box_threshold`). */
  detection?: DetectionThresholds | undefined;
}

/** Detector post-processing thresholds one page may override. */
export interface DetectionThresholds {
  /** Probability-map threshold, 0..1 (engine option `detThreshold`). */
  binaryThreshold?: number | undefined;
  /** Least mean probability of a kept box, 0..1 (engine option `boxThreshold`). */
  boxThreshold?: number | undefined;
}

/** One OCR engine: models loaded once, pages recognized one after another. */
export interface OcrEngine {
  /** Recognizes one page. The raster is only read; pools transfer its buffer to a worker. */
  recognize(raster: Raster, opts?: RecognizeOptions): Promise<OcrPage>;
  /**
   * Recognizes several pages in shared model runs (detection per size bucket, recognition crops of
   * all pages together) and answers per page, in order: one page failing fails only its entry.
   * Engines without it are driven page by page (see `createBatchingEngine`).
   */
  recognizeBatch?(items: readonly BatchItem[]): Promise<PageOutcome[]>;
  /** The CPU and each model's numeric path (engines that load models themselves). */
  readonly paths?: EnginePaths;
  /** Releases the ONNX sessions (or workers). The engine is unusable afterwards. */
  close(): Promise<void>;
}

/** One page of a batch. */
export interface BatchItem {
  raster: Raster;
  opts?: RecognizeOptions | undefined;
}

/** What became of one page of a batch (plain data, so it crosses worker threads). */
export type PageOutcome = { ok: true; page: OcrPage } | { ok: false; error: string };
