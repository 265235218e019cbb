import { z } from 'zod';
import type { ContractError, ValidationIssue } from '../common/errors.ts';

/** FastAPI's error body: a sentence for HTTP errors, validation items for 422. */
export const doctrErrorSchema = z.looseObject({
  detail: z.union([
    z.string(),
    z.array(z.looseObject({ loc: z.array(z.union([z.string(), z.int()])), msg: z.string(), type: z.string() })),
  ]),
});
export type DoctrError = { detail: string | ValidationIssue[] };

/** `{ detail }`: the validation items when the error has them (422), else the message. */
export function doctrErrorBody(err: ContractError): DoctrError {
  return { detail: err.issues && err.issues.length > 0 ? err.issues : err.message };
}
