import type { ModelRow } from '@folio/db';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';

/** The caller's model, or 404 (another tenant's model is as unknown as a missing one). */
export async function requireModel(deps: ApiDeps, modelId: string, orgId: string): Promise<ModelRow> {
  const model = await deps.db.models.findForOrg(modelId, orgId);
  if (!model) throw errors.notFound('Model', modelId);
  return model;
}
