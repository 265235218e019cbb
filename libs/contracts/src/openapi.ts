import { type JsonSchema, multipartSchema, parametersOf, toJsonSchema } from './openapi/openapi.json-schema.ts';
import { responseComponents } from './openapi/openapi.components.ts';
import { routes } from './openapi/openapi.routes.ts';
import type { BodySpec, ResponseSpec, RouteSpec } from './openapi/openapi.types.ts';
import { webhookOperations } from './openapi/webhooks.operations.ts';

export { responseComponents, type ResponseComponent } from './openapi/openapi.components.ts';
export { routes as openApiRoutes, operationTables, routesOf, responseSchemasFor, expressPath } from './openapi/openapi.routes.ts';
export type { RouteSpec, OperationSpec, Operations, ResponseSpec, BodySpec, HttpMethod, Security } from './openapi/openapi.types.ts';
export { NANONETS_BASE_PATH } from './openapi/nanonets.operations.ts';
export type { JsonSchema } from './openapi/openapi.json-schema.ts';

/** The OpenAPI 3.1 document served at `/openapi.json`. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, JsonSchema>>;
  /** The signed POSTs Folio sends to webhook endpoints. */
  webhooks: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function requestBody(body: BodySpec): JsonSchema {
  switch (body.kind) {
    case 'json':
      return { required: true, content: { 'application/json': { schema: toJsonSchema(body.schema, 'input') } } };
    case 'multipart':
      return { required: true, content: { 'multipart/form-data': { schema: multipartSchema(body.fields, body.files) } } };
    case 'form-or-json': {
      const schema = toJsonSchema(body.schema, 'input');
      return { required: true, content: { 'application/x-www-form-urlencoded': { schema }, 'application/json': { schema } } };
    }
  }
}

function response(spec: ResponseSpec): JsonSchema {
  const type = spec.contentType ?? 'application/json';
  if (!spec.schemas) {
    return type === 'application/json'
      ? { description: spec.description, content: { [type]: { schema: { type: 'object' } } } }
      : { description: spec.description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } };
  }
  const [first, ...more] = spec.schemas;
  const schema = more.length === 0 && first ? ref(first) : { oneOf: spec.schemas.map(ref) };
  return { description: spec.description, content: { [type]: { schema } } };
}

function operation(route: RouteSpec): JsonSchema {
  const parameters = [
    ...(route.params ? parametersOf(route.params, 'path') : []),
    ...(route.query ? parametersOf(route.query, 'query') : []),
  ];
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: route.security === 'none' ? [] : [{ [route.security === 'basic' ? 'BasicAuth' : 'BearerAuth']: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: requestBody(route.body) } : {}),
    responses: Object.fromEntries(Object.entries(route.responses).map(([status, spec]) => [status, response(spec)])),
  };
}

/**
 * OpenAPI 3.1 for every Folio route: Nanonets v2, Files + OCR, NIM, docTR, health, progress,
 * webhooks, the review API and `/openapi.json`. Request and response schemas are generated from the zod schemas the routes
 * validate with, so the document cannot drift from the code. `baseUrl` (e.g.
 * `https://ocr.example.com`) becomes the only server; without it the document is relative.
 */
export function buildOpenApiDocument(baseUrl?: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operation(route);
  const schemas = Object.fromEntries(
    Object.entries(responseComponents).map(([name, schema]) => [name, toJsonSchema(schema, 'output')]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Folio OCR',
      version: '1.0.0',
      description:
        'Document OCR behind four dialects over one engine: Nanonets v2 (HTTP Basic, API key as user name), ' +
        'Files + OCR compatible with the Mistral SDK, NVIDIA NIM image OCR, and docTR (Bearer API key).',
    },
    servers: baseUrl ? [{ url: baseUrl.replace(/\/+$/, '') }] : [],
    tags: [
      { name: 'Nanonets', description: 'Nanonets v2 OCR: predict, retrieve by file, page or day window, training uploads.' },
      { name: 'Files + OCR', description: 'Files API and OCR, Mistral SDK compatible.' },
      { name: 'NIM', description: 'NVIDIA NIM for Image OCR: /v1/infer and health.' },
      { name: 'docTR', description: 'docTR-style /ocr.' },
      { name: 'Webhooks', description: 'POSTs when files finish, signed in the Standard Webhooks format (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256>), with retries and a delivery log.' },
      { name: 'Review', description: 'Back-office moderation: review queue by confidence, page with boxes and audit trail, page image, approve / reject / reset, box edits and reverting them.' },
      { name: 'Meta', description: 'This document.' },
    ],
    paths,
    webhooks: webhookOperations(ref),
    components: {
      schemas,
      securitySchemes: {
        BasicAuth: { type: 'http', scheme: 'basic', description: 'API key as the user name, empty password (Nanonets).' },
        BearerAuth: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <API key>`.' },
      },
    },
  };
}
