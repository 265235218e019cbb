import type { Request } from 'express';
import type { z } from 'zod';
import { describeZodError } from '@folio/contracts';
import type { FileRow, ModelRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { errors } from '../../errors/app-error.ts';

/** Parses route params, query or fields with a zod schema; a mismatch is a 400 naming the fields. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw errors.badRequest(describeZodError(parsed.error), 'invalid_request');
  return parsed.data;
}

/** The caller's model, or 404 (another tenant's model is as unknown as a missing one). */
export async function requireModel(deps: ApiDeps, modelId: string, orgId: string): Promise<ModelRow> {
  const model = await deps.db.models.findForOrg(modelId, orgId);
  if (!model) throw errors.notFound('Model', modelId);
  return model;
}

/** The caller's file under that model, or 404. */
export async function requireFile(deps: ApiDeps, fileId: string, orgId: string, modelId: string): Promise<FileRow> {
  const file = await deps.db.files.findForOrg(fileId, orgId);
  if (!file || file.modelId !== modelId) throw errors.notFound('Request file', fileId);
  return file;
}

/** Multipart text fields as single values (the last one wins, as in most form parsers). */
export function singleFields(fields: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v[v.length - 1] as string]));
}

export const routeAsync = (req: Request) => /\/Async\/?$/i.test(req.path);
