import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import {
  describeZodError,
  NIM_NOT_READY_MESSAGE,
  NIM_QUEUE_FULL_MESSAGE,
  nimDataUrlErrorMessage,
  nimInferRequestSchema,
  nimInferResponse,
  nimMergeLevels,
  parseDataUrl,
  type NimInferResponse,
} from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { AppError, isAppError } from '../../errors/app-error.ts';
import { assertCapacity, discardFiles, storeUpload } from '../../services/intake.service.ts';
import { recognizeNow } from '../../services/ocr-result.service.ts';
import { assertRecognizerReady } from '../../services/readiness.service.ts';

/** Start of the 422 message for a body that does not follow the seed's payload. */
export const NIM_MALFORMED_PREFIX = 'Malformed request';

/** Files of this dialect are kept apart from the Files API's `ocr` uploads. */
export const NIM_PURPOSE = 'nim';

const extension = { 'image/png': 'png', 'image/jpeg': 'jpg' } as const;

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
 * `POST /v1/infer`: every `input[]` image (a base64 PNG/JPEG data URL) is checked before any is
 * stored, then all are recognized together and answered as `data[]` in input order, boxes
 * normalized to [0, 1] at each image's merge level.
 */
export function inferHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    await assertRecognizerReady(deps, NIM_NOT_READY_MESSAGE);
    await assertQueueRoom(deps);

    const parsed = nimInferRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError('unprocessable', `${NIM_MALFORMED_PREFIX}: ${describeZodError(parsed.error)}`, { reason: 'malformed_request' });
    }
    const images = parsed.data.input.map((input, index) => {
      const image = parseDataUrl(input.url, { maxBytes: deps.config.MAX_UPLOAD_BYTES });
      if (!image.ok) throw new AppError('unprocessable', nimDataUrlErrorMessage(image, index), { reason: image.reason });
      return image;
    });
    const levels = nimMergeLevels(parsed.data);

    const stored: FileRow[] = [];
    try {
      for (const [index, image] of images.entries()) {
        stored.push(
          await storeUpload(
            deps,
            { filename: `input-${index}.${extension[image.mime as keyof typeof extension]}`, declaredMime: image.mime, stream: Readable.from([image.bytes]) },
            { orgId, sync: true, purpose: NIM_PURPOSE },
          ),
        );
      }
    } catch (err) {
      await discardFiles(deps, stored);
      throw err;
    }

    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const results = await recognizeNow(deps, stored, String(res.locals.requestId ?? randomUUID()), abort.signal);
    const body: NimInferResponse = nimInferResponse(
      results.map((r, i) => {
        const page = r.pages[0]?.result;
        if (!page) throw new AppError('internal', `input[${i}] could not be recognized: ${r.pages[0]?.page.error ?? r.file.errorMessage ?? 'unknown error'}`);
        return { page, level: levels[i] ?? 'sentence' };
      }),
    );
    res.json(body);
  };
}
