import type { BatchItem, PageOutcome, RecognizeOptions } from '../engine.types.ts';
import type { OcrPage } from '../page.ts';
import type { Raster } from '../raster.ts';

/** Main thread → worker. */
export type WorkerRequest =
  | { type: 'recognize'; id: number; raster: Raster; opts?: RecognizeOptions }
  | { type: 'recognizeBatch'; id: number; items: BatchItem[] }
  | { type: 'close' };

/** Worker → main thread. */
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; page: OcrPage }
  | { type: 'error'; id: number; message: string }
  | { type: 'batchResult'; id: number; outcomes: PageOutcome[] };
