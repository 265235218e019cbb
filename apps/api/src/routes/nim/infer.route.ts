import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { describeZodError, nimDataUrlErrorMessage, nimInferRequestSchema, nimInferResponse, nimMergeLevels, parseDataUrl } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { abortOnClose } from '../../http/abort-on-close.ts';
import { AppError } from '../../errors/app-error.ts';
import { inferImages } from '../../services/nim-infer.service.ts';

export { NIM_PURPOSE } from '../../services/nim-infer.service.ts';

/** Start of the 422 message for a body that does not follow the seed's payload. */
export const NIM_MALFORMED_PREFIX = 'Malformed request';

/**
 * `POST /v1/infer`: every `input[]` image (a base64 PNG/JPEG data URL) is checked before any is
 * stored, then all are recognized together and answered as `data[]` in input order, boxes
 * normalized to [0, 1] at each image's merge level.
 */
export function inferHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
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
    const pages = await inferImages(deps, { orgId, images, requestId: String(res.locals.requestId ?? randomUUID()), signal: abortOnClose(res) });
    res.json(nimInferResponse(pages.map((page, i) => ({ page, level: levels[i] ?? 'sentence' }))));
  };
}
