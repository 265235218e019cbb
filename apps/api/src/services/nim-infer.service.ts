import { Readable } from 'node:stream';
import { fileFailureText, NIM_NOT_READY_MESSAGE, NIM_QUEUE_FULL_MESSAGE, pageFailureText, type DataUrlResult } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { OcrPage } from '@folio/ocr';
import type { ApiDeps } from '../api.deps.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { assertCapacity } from './admission.service.ts';
import { recognizeNow } from './ocr-result.service.ts';
import { assertRecognizerReady } from './readiness.service.ts';
import { orDiscard, storeUpload } from './upload.service.ts';

/** Files of the NIM dialect are kept apart from the Files API's `ocr` uploads. */
export const NIM_PURPOSE = 'nim';

const extension = { 'image/png': 'png', 'image/jpeg': 'jpg' } as const;

export interface NimInferRequest {
  orgId: string;
  /** The decoded `input[]` images, in order. */
  images: ReadonlyArray<Extract<DataUrlResult, { ok: true }>>;
  requestId: string;
  /** Aborted when the client hangs up: the wait ends (the files keep going). */
  signal?: AbortSignal;
}

/** The seed's 429 sentence, keeping the Retry-After of the capacity check. */
async function assertQueueRoom(deps: ApiDeps): Promise<void> {
  try {
    await assertCapacity(deps);
  } catch (err) {
    if (isAppError(err) && err.code === 'too_many_requests') {
      throw new AppError('too_many_requests', NIM_QUEUE_FULL_MESSAGE, { cause: err, ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}) });
    }
    throw err;
  }
}

/**
 * `POST /v1/infer`: stores every image, recognizes them together (sync) and returns one page per
 * input, in input order. An image whose page failed makes the request a 500 naming it.
 */
export async function inferImages(deps: ApiDeps, request: NimInferRequest): Promise<OcrPage[]> {
  await assertRecognizerReady(deps, NIM_NOT_READY_MESSAGE);
  await assertQueueRoom(deps);
  const stored: FileRow[] = [];
  await orDiscard(deps, stored, async () => {
    for (const [index, image] of request.images.entries()) {
      stored.push(
        await storeUpload(
          deps,
          { filename: `input-${index}.${extension[image.mime as keyof typeof extension]}`, declaredMime: image.mime, stream: Readable.from([image.bytes]) },
          { orgId: request.orgId, sync: true, purpose: NIM_PURPOSE },
        ),
      );
    }
  });
  const results = await recognizeNow(deps, stored, request.requestId, request.signal);
  return results.map((r, i) => {
    const first = r.pages[0];
    if (first?.result) return first.result;
    const why = (first ? pageFailureText(first.page) : null) ?? fileFailureText(r.file) ?? 'unknown error';
    throw new AppError('internal', `input[${i}] could not be recognized: ${why}`);
  });
}
