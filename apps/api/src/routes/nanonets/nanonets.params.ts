import type { Request } from 'express';
import type { z } from 'zod';
import { describeZodError } from '@folio/contracts';
import { errors } from '../../errors/app-error.ts';

/** Parses route params, query or fields with a zod schema; a mismatch is a 400 naming the fields. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw errors.badRequest(describeZodError(parsed.error), 'invalid_request');
  return parsed.data;
}

/**
 * The caller's model, or 404. Kept here for the routes that still import it from this file
 * (LabelFile, LabelUrls); new code imports it from the models service.
 */
export { requireModel } from '../../services/models.service.ts';

/** Multipart text fields as single values (the last one wins, as in most form parsers). */
export function singleFields(fields: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v[v.length - 1] as string]));
}

export const routeAsync = (req: Request) => /\/Async\/?$/i.test(req.path);
