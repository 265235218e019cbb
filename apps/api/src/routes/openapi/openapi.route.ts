import { Router } from 'express';
import { buildOpenApiDocument, operationTables, type OpenApiDocument } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { mountOperations } from '../../http/operation.router.ts';

/** Documents kept per base URL (the Host header is the client's, so the cache is bounded). */
const CACHED_BASES = 8;

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of every route, its server being PUBLIC_URL when
 * set, else the URL this request came in on (honouring X-Forwarded-* as `trust proxy` allows).
 * Building converts every zod schema, so each base URL's document is built once.
 */
export function openApiRouter(deps: ApiDeps): Router {
  const cache = new Map<string, OpenApiDocument>();
  return mountOperations(Router(), operationTables.meta, {
    openApiDocument: (req, res) => {
      const base = deps.config.PUBLIC_URL ?? `${req.protocol}://${req.host || 'localhost'}`;
      let doc = cache.get(base);
      if (!doc) {
        doc = buildOpenApiDocument(base);
        if (cache.size >= CACHED_BASES) cache.delete(cache.keys().next().value as string);
        cache.set(base, doc);
      }
      res.json(doc);
    },
  });
}
