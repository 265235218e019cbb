import type { Request } from 'express';
import type { z } from 'zod';
import { describeZodError, issuesFromZod, type IssueLocation } from '@folio/contracts';
import { AppError } from '../../errors/app-error.ts';

/** Parses params, query or body with a zod schema; a mismatch is a 400 naming each failing field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, location: IssueLocation): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('bad_request', describeZodError(parsed.error), { reason: 'invalid_request', issues: issuesFromZod(parsed.error, location) });
  }
  return parsed.data;
}

/**
 * The JSON object body, or a 400 saying it is missing: no body, another content type (express.json
 * leaves `req.body` unset) and `{}` all read as empty. `expected` names the fields to send.
 */
export function jsonBody(req: Request, expected: string): Record<string, unknown> {
  const body: unknown = req.body;
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (!isObject || Object.keys(body).length === 0) {
    throw new AppError('bad_request', `The request body is empty; send a JSON object (Content-Type: application/json) with ${expected}.`, {
      reason: 'empty_body',
    });
  }
  return body as Record<string, unknown>;
}
