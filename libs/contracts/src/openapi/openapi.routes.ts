import type { z } from 'zod';
import { doctrOperations } from './doctr.operations.ts';
import { filesOperations } from './files.operations.ts';
import { metaOperations } from './meta.operations.ts';
import { nanonetsOperations } from './nanonets.operations.ts';
import { healthOperations, nimOperations } from './nim.operations.ts';
import { responseComponents } from './openapi.components.ts';
import type { Operations, RouteSpec } from './openapi.types.ts';
import { reviewOperations } from './review.operations.ts';
import { webhooksOperations } from './webhooks.operations.ts';

/**
 * Every operation table, one per router of the API. The API maps each table's operation ids to
 * handlers (the compiler refuses a missing one), so a route exists exactly when it is declared here.
 */
export const operationTables = {
  nanonets: nanonetsOperations,
  files: filesOperations,
  nim: nimOperations,
  health: healthOperations,
  doctr: doctrOperations,
  webhooks: webhooksOperations,
  review: reviewOperations,
  meta: metaOperations,
} satisfies Record<string, Operations>;

/** An operation table with each operation's id written into it. */
export function routesOf(operations: Operations): RouteSpec[] {
  return Object.entries(operations).map(([operationId, spec]) => ({ operationId, ...spec }));
}

/** Every route Folio serves in the four dialects, plus health, progress, webhooks, review and this document. */
export const routes: RouteSpec[] = Object.values(operationTables).flatMap(routesOf);

/**
 * Express-style path (`:param`) of an OpenAPI template (`{param}`). A trailing slash is dropped:
 * Express (non-strict) serves `/LabelFile` and `/LabelFile/` alike from the bare path.
 */
export function expressPath(path: string): string {
  const express = path.replace(/\{([^}]+)\}/g, ':$1');
  return express.length > 1 ? express.replace(/\/+$/, '') : express;
}

/**
 * The zod schemas a response of `operationId` with `status` must satisfy (any one of them), for
 * tests that check real answers. Empty when the route documents no JSON body for that status.
 */
export function responseSchemasFor(operationId: string, status: number): z.ZodType[] {
  const route = routes.find((r) => r.operationId === operationId);
  return (route?.responses[status]?.schemas ?? []).map((name) => responseComponents[name]);
}
