import type { z } from 'zod';
import type { ResponseComponent } from './openapi.components.ts';

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';
export type Security = 'basic' | 'bearer' | 'none';

/** A request body: a zod schema (JSON) or a hand-written multipart/urlencoded description. */
export type BodySpec =
  | { kind: 'json'; schema: z.ZodType }
  | { kind: 'multipart'; fields?: z.ZodObject; files: { name: string; many: boolean; required: boolean }[] }
  | { kind: 'form-or-json'; schema: z.ZodObject };

export interface ResponseSpec {
  description: string;
  /** Component names; several mean `oneOf`. */
  schemas?: ResponseComponent[];
  /** Media type. @defaultValue `application/json` */
  contentType?: string;
}

/**
 * One HTTP operation, declared once: the OpenAPI document and the API's Express router are both
 * built from it. Its operation id is the key it is declared under (see {@link Operations}).
 */
export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI path template, exactly as the seeds spell it (trailing slashes included). */
  path: string;
  tag: 'Nanonets' | 'Files + OCR' | 'NIM' | 'docTR' | 'Webhooks' | 'Review' | 'Meta';
  summary: string;
  description?: string;
  /** How the caller authenticates; the router puts that check in front of the handler. */
  security: Security;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: BodySpec;
  responses: Record<number, ResponseSpec>;
}

/** Operations by operation id: one table per router (a dialect, the review API, …). */
export type Operations = Record<string, OperationSpec>;

/** An operation with its id, as the OpenAPI document lists it. */
export interface RouteSpec extends OperationSpec {
  operationId: string;
}
