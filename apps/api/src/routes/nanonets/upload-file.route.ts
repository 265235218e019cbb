import type { Request, Response } from 'express';
import {
  NANONETS_FILE_FIELD,
  nanonetsModelParamsSchema,
  nanonetsUploadFileFieldsSchema,
  nanonetsUploadResponse,
  parseNanonetsTrainingData,
} from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { parseMultipart } from '../../http/multipart.ts';
import { requireModel } from '../../services/models.service.ts';
import { discardTrainingObjects, recordTrainingImages, storeTrainingUpload, type StoredTrainingObject } from '../../services/training.service.ts';
import { parseWith, singleFields } from './nanonets.params.ts';

/**
 * `POST /OCR/Model/{model_id}/UploadFile/`: multipart `file` parts (PNG, JPEG, TIFF) with `data`,
 * the annotation JSON (`[{ filename, object: [{ name, ocr_text, bndbox }] }]`). Images are stored
 * in S3 as they stream in and recorded as TrainingImage rows with their annotations; a bad
 * image or bad `data` refuses the whole request and removes what was stored.
 */
export function uploadFileHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    await requireModel(deps, model_id, orgId);
    const scope = { orgId, modelId: model_id };

    const { fields, files } = await parseMultipart<StoredTrainingObject | null>(
      req,
      { maxFileBytes: deps.config.MAX_UPLOAD_BYTES },
      async (part) => {
        if (part.field !== NANONETS_FILE_FIELD) {
          part.stream.resume();
          return null;
        }
        return storeTrainingUpload(deps, part, scope);
      },
      (done) => discardTrainingObjects(deps, done.filter((o): o is StoredTrainingObject => o !== null)),
    );
    const stored = files.filter((o): o is StoredTrainingObject => o !== null);
    try {
      if (stored.length === 0) throw errors.badRequest(`Send at least one training image in the multipart field "${NANONETS_FILE_FIELD}".`, 'no_file');
      const form = parseWith(nanonetsUploadFileFieldsSchema, singleFields(fields));
      const data = parseNanonetsTrainingData(form.data);
      if (!data.ok) throw errors.badRequest(data.message, 'invalid_annotations');
      const rows = await recordTrainingImages(deps, scope, stored, data.annotations);
      res.json(nanonetsUploadResponse(model_id, rows, data.annotations));
    } catch (err) {
      await discardTrainingObjects(deps, stored);
      throw err;
    }
  };
}
