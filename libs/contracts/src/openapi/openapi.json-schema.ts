import { z } from 'zod';
import { OPENAPI_TYPE_META } from '../common/query.ts';

/** A JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) object. */
export type JsonSchema = Record<string, unknown>;

/**
 * JSON Schema of a zod schema: `input` for what clients send, `output` for what Folio answers.
 * Query/form helpers (booleanish, integerish, listish) are documented as the type they mean, and
 * defaults of transformed fields are kept (zod drops them in input mode).
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      const js = ctx.jsonSchema as JsonSchema;
      const meta = js[OPENAPI_TYPE_META];
      if (meta && typeof meta === 'object') {
        for (const key of Object.keys(js)) if (key !== 'default' && key !== 'description') delete js[key];
        Object.assign(js, meta);
      }
      const def = ctx.zodSchema._zod.def as { type: string; defaultValue?: unknown };
      if (def.type === 'default' && !('default' in js) && def.defaultValue !== undefined) js.default = def.defaultValue;
    },
  });
  return json;
}

/** True when the schema accepts `undefined` (optional, or has a default). */
export function isOptional(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

/** OpenAPI parameters from the fields of a zod object (path parameters are always required). */
export function parametersOf(schema: z.ZodObject, location: 'path' | 'query'): JsonSchema[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const json = toJsonSchema(field, 'input');
    const { description, ...rest } = json;
    return {
      name,
      in: location,
      required: location === 'path' || !isOptional(field),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** The object schema of `fields` plus binary file parts, for a multipart/form-data body. */
export function multipartSchema(fields: z.ZodObject | undefined, files: { name: string; many: boolean; required: boolean }[]): JsonSchema {
  const base = fields ? toJsonSchema(fields, 'input') : { type: 'object', properties: {} };
  const binary = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' };
  const properties = { ...(base.properties as JsonSchema | undefined) };
  const required = [...((base.required as string[] | undefined) ?? [])];
  for (const f of files) {
    properties[f.name] = f.many ? { type: 'array', items: binary } : binary;
    if (f.required) required.push(f.name);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}
