import { Ajv2020 } from 'ajv/dist/2020.js';
import { responseSchemasFor } from '@folio/contracts';

type Json = Record<string, unknown>;

/**
 * Checks real answers against the OpenAPI document the server itself serves at `/openapi.json`
 * (JSON Schema 2020-12 with ajv) and against the zod schemas that document was built from.
 * `check` returns the problems found, `[]` when the answer conforms.
 */
export async function openApiValidator(baseUrl: string) {
  const res = await fetch(`${baseUrl}/openapi.json`);
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, Json>>; webhooks?: Record<string, Record<string, Json>>; components: Json };
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'folio', components: doc.components });
  const operations = new Map<string, Json>();
  for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) operations.set(op.operationId as string, op);

  return {
    doc,
    check(operationId: string, status: number, body: unknown): string[] {
      const op = operations.get(operationId);
      if (!op) return [`no operation ${operationId} in /openapi.json`];
      const response = (op.responses as Record<string, Json>)[String(status)];
      if (!response) return [`${operationId} documents no ${status} answer`];
      const schema = ((response.content as Record<string, Json> | undefined)?.['application/json'] as Json | undefined)?.schema;
      if (!schema) return [`${operationId} ${status} documents no JSON body`];
      const problems: string[] = [];
      const resolved = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"folio#/components/')) as Json;
      const validate = ajv.compile(resolved);
      if (!validate(body)) problems.push(`openapi: ${ajv.errorsText(validate.errors)}`);
      const zods = responseSchemasFor(operationId, status);
      if (zods.length > 0 && !zods.some((z) => z.safeParse(body).success)) problems.push(`zod: none of ${zods.length} schemas accepts the body`);
      return problems;
    },
    /** Problems when `body` is not the request body documented for the webhook `event` (OpenAPI `webhooks`). */
    checkWebhook(event: string, body: unknown): string[] {
      const schema = (((doc.webhooks?.[event]?.post?.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.['application/json'] as Json | undefined)?.schema;
      if (!schema) return [`/openapi.json documents no webhook ${event}`];
      const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"folio#/components/')) as Json);
      return validate(body) ? [] : [`openapi: ${ajv.errorsText(validate.errors)}`];
    },
    /** Problems when the `status` answer of `operationId` does not document `contentType` (parameters such as charset ignored). */
    checkMedia(operationId: string, status: number, contentType: string | null): string[] {
      const response = (operations.get(operationId)?.responses as Record<string, Json> | undefined)?.[String(status)];
      if (!response) return [`${operationId} documents no ${status} answer`];
      const documented = Object.keys((response.content as Json | undefined) ?? {});
      const actual = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
      return documented.includes(actual) ? [] : [`${operationId} ${status} answered ${actual || 'no content type'}, documented ${documented.join(', ') || 'none'}`];
    },
  };
}

export type OpenApiValidator = Awaited<ReturnType<typeof openApiValidator>>;
