import type { ModelRow } from '@folio/db';
import type { NanonetsModelView } from '@folio/contracts';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';

/** The caller's model, or 404 (another tenant's model is as unknown as a missing one). */
export async function requireModel(deps: ApiDeps, modelId: string, orgId: string): Promise<ModelRow> {
  const model = await deps.db.models.findForOrg(modelId, orgId);
  if (!model) throw errors.notFound('Model', modelId);
  return model;
}

/** Creates a model; with categories it learns them once trained, without it is full-text OCR. */
export async function createModel(deps: ApiDeps, orgId: string, categories: readonly string[]): Promise<ModelRow> {
  const labels = [...new Set(categories)];
  return deps.db.models.create({ orgId, kind: labels.length ? 'EXTRACTION' : 'OCR', name: labels.length ? `fields: ${labels.join(', ')}`.slice(0, 200) : 'ocr', labels });
}

/** What the Nanonets model object shows: annotated boxes per category, serving version, runs. */
export async function describeModel(deps: ApiDeps, row: ModelRow): Promise<NanonetsModelView> {
  const [images, moderated, runs] = await Promise.all([
    deps.db.training.listImages(row.id, row.orgId, { limit: 2000 }),
    deps.db.training.moderatedPages(row.id, row.orgId),
    deps.db.training.listRuns(row.id, row.orgId),
  ]);
  // The model is read again after its runs: a run that committed SUCCEEDED (with the switch to its
  // version, one transaction) between the two reads would otherwise show beside the old version.
  const model = (await deps.db.models.findForOrg(row.id, row.orgId)) ?? row;
  const version = model.servingVersionId ? await deps.db.training.findVersion(model.servingVersionId) : null;
  const counts: Record<string, number> = {};
  const bump = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);
  for (const image of images) {
    const list = (Array.isArray(image.annotations) ? image.annotations : [image.annotations]) as Array<{ object?: Array<{ name?: unknown }> } | null>;
    for (const a of list) for (const o of a?.object ?? []) if (typeof o?.name === 'string') bump(o.name);
  }
  for (const page of moderated) for (const b of page.boxes) if (model.labels.includes(b.label)) bump(b.label);
  return {
    id: model.id,
    labels: model.labels,
    counts,
    servingVersion: version ? { number: version.number, metrics: version.metrics } : null,
    runs: runs.map((r) => ({ id: r.id, status: r.status, message: r.message, failure: r.failure, metrics: r.metrics, data: r.data, createdAt: r.createdAt, finishedAt: r.finishedAt })),
  };
}

/**
 * Adds categories after the existing ones and renames others in place; what carries the old names
 * (annotations, approved field boxes) is renamed with them, so counts carry over. 400 for a rename
 * of a category the model lacks (listed), a name used twice, or nothing to change; 404 for another
 * tenant's model.
 */
export async function updateModelCategories(deps: ApiDeps, modelId: string, orgId: string, change: { add: readonly string[]; rename: Readonly<Record<string, string>> }): Promise<NanonetsModelView> {
  const model = await requireModel(deps, modelId, orgId);
  const renames = Object.entries(change.rename).map(([from, to]) => [from.trim(), to] as const).filter(([from, to]) => from !== to);
  if (change.add.length === 0 && renames.length === 0) {
    throw errors.badRequest('Nothing to change: send "add" (new category names) or "rename" ({"old": "new"}).', 'no_changes');
  }
  const unknown = renames.map(([from]) => from).filter((from) => !model.labels.includes(from));
  if (unknown.length > 0) {
    throw errors.badRequest(`Model ${modelId} has no categories ${unknown.map((u) => `"${u}"`).join(', ')} to rename (it has ${model.labels.map((l) => `"${l}"`).join(', ') || 'none'}).`, 'unknown_categories');
  }
  const map = Object.fromEntries(renames);
  const labels = [...model.labels.map((l) => map[l] ?? l), ...change.add];
  const twice = [...new Set(labels.filter((l, i) => labels.indexOf(l) !== i))];
  if (twice.length > 0) throw errors.badRequest(`Categories would be named twice: ${twice.map((t) => `"${t}"`).join(', ')}.`, 'duplicate_categories');
  const updated = await deps.db.models.relabel(model.id, orgId, labels, map);
  if (!updated) throw errors.notFound("Model", modelId);
  return describeModel(deps, updated);
}

/** The caller's model as the Nanonets model object (404 for another tenant's). */
export async function showModel(deps: ApiDeps, modelId: string, orgId: string): Promise<NanonetsModelView> {
  return describeModel(deps, await requireModel(deps, modelId, orgId));
}

/** Every model of the organization as model objects. */
export async function listModels(deps: ApiDeps, orgId: string): Promise<NanonetsModelView[]> {
  return Promise.all((await deps.db.models.listForOrg(orgId)).map((m) => describeModel(deps, m)));
}
