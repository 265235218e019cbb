import type { Request, Response } from 'express';
import { z } from 'zod';
import { integerish, MISTRAL_LIST_PAGE_SIZE, mistralListFilesQuerySchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { FILES_API_PURPOSE, listFiles } from '../../services/mistral-files.service.ts';
import { invalid, parseWith } from './mistral.params.ts';

/**
 * The SDK's `page`/`page_size` (offset pages, zero-based), plus `limit`/`after` (cursor: the id of
 * the last file seen) for OpenAI-style clients.
 */
const listQuerySchema = mistralListFilesQuerySchema.extend({
  limit: integerish(MISTRAL_LIST_PAGE_SIZE.min, MISTRAL_LIST_PAGE_SIZE.max).optional(),
  after: z.string().min(1).optional(),
});

/** `GET /v1/files`: the organization's uploads, newest first. */
export function filesListHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const q = parseWith(listQuerySchema, req.query, 'query');
    // Files are not indexed by name or type yet; answering these filters unfiltered would be wrong.
    if (q.search !== undefined) throw invalid(['query', 'search'], 'The search filter is not supported yet.', 'not_supported');
    if (q.mimetypes !== undefined) throw invalid(['query', 'mimetypes'], 'The mimetypes filter is not supported yet.', 'not_supported');
    // Every Files API upload is purpose ocr, sample type ocr_input, source upload.
    const matchesAnything =
      (q.purpose === undefined || q.purpose === FILES_API_PURPOSE) &&
      (q.sample_type === undefined || q.sample_type.includes('ocr_input')) &&
      (q.source === undefined || q.source.includes('upload'));
    const limit = q.limit ?? q.page_size;
    res.json(
      await listFiles(deps, orgId, { limit, offset: q.page * limit, after: q.after, includeTotal: q.include_total, matchesAnything }),
    );
  };
}
