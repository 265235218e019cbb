import type { OcrPage, Rotation } from './page.ts';
import type { Raster } from './raster.ts';

export interface RecognizeOptions {
  /** Resolution to report in the result; defaults to `raster.dpi`, else 72. */
  dpi?: number;
  /** A known page rotation (degrees clockwise) skips orientation detection. @defaultValue 'auto' */
  rotation?: Rotation | 'auto';
}

/** One OCR engine: models loaded once, pages recognized one after another. */
export interface OcrEngine {
  /** Recognizes one page. The raster is only read; pools transfer its buffer to a worker. */
  recognize(raster: Raster, opts?: RecognizeOptions): Promise<OcrPage>;
  /** Releases the ONNX sessions (or workers). The engine is unusable afterwards. */
  close(): Promise<void>;
}
