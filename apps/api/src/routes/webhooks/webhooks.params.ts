import type { z } from 'zod';
import { describeZodError } from '@folio/contracts';
import { errors } from '../../errors/app-error.ts';

/** Parses params, query or body with a zod schema; a mismatch is a 400 naming every failing field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw errors.badRequest(`Invalid ${what}: ${describeZodError(parsed.error)}`, 'invalid_request');
  return parsed.data;
}
