import { z } from 'zod';

/**
 * Metadata key read by the OpenAPI builder: these helpers accept strings (query and form values)
 * but document the type they mean, e.g. `{ type: 'integer', minimum: 1 }`.
 */
export const OPENAPI_TYPE_META = 'x-folio-openapi';

const bounds = (min: number, max: number, lo: number, hi: number) => ({
  ...(min > lo ? { minimum: min } : {}),
  ...(max < hi ? { maximum: max } : {}),
});

// FastAPI's spellings, which docTR and NIM clients send; Nanonets and Mistral clients send true/false.
const truthy = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const falsy = new Set(['false', '0', 'no', 'off', 'f', 'n']);

/**
 * A boolean from a query string, form field or JSON body: `true`/`false`, `1`/`0`, `yes`/`no`,
 * `on`/`off` (any case), or a JSON boolean.
 */
export function booleanish() {
  return z.union([z.boolean(), z.string(), z.number()]).transform((value, ctx): boolean => {
    if (typeof value === 'boolean') return value;
    const s = String(value).trim().toLowerCase();
    if (truthy.has(s)) return true;
    if (falsy.has(s)) return false;
    ctx.addIssue({ code: 'custom', message: `Expected a boolean (true or false), got "${String(value)}".` });
    return z.NEVER;
  }).meta({ [OPENAPI_TYPE_META]: { type: 'boolean' } });
}

/** An integer from a query string, form field or JSON body, within `[min, max]`. */
export function integerish(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return z.union([z.number(), z.string()]).transform((value, ctx): number => {
    const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: `Expected an integer, got "${String(value)}".` });
      return z.NEVER;
    }
    if (n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `Expected an integer between ${min} and ${max}, got ${n}.` });
      return z.NEVER;
    }
    return n;
  }).meta({ [OPENAPI_TYPE_META]: { type: 'integer', ...bounds(min, max, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) } });
}

/** A finite number from a query string, form field or JSON body, within `[min, max]`. */
export function numberish(min = -Number.MAX_VALUE, max = Number.MAX_VALUE) {
  return z.union([z.number(), z.string()]).transform((value, ctx): number => {
    const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `Expected a number, got "${String(value)}".` });
      return z.NEVER;
    }
    if (n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `Expected a number between ${min} and ${max}, got ${n}.` });
      return z.NEVER;
    }
    return n;
  }).meta({ [OPENAPI_TYPE_META]: { type: 'number', ...bounds(min, max, -Number.MAX_VALUE, Number.MAX_VALUE) } });
}

/** A list from a repeated query/form key (`a=1&a=2` gives an array, `a=1` a string) or a JSON array. */
export function listish<T extends z.ZodType>(item: T) {
  const { $schema: _, ...itemJson } = z.toJSONSchema(item, { io: 'input', unrepresentable: 'any' });
  // Preprocess rather than a union, so a bad entry is reported as `urls.1: ...`, not "Invalid input".
  return z
    .preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(item))
    .meta({ [OPENAPI_TYPE_META]: { anyOf: [itemJson, { type: 'array', items: itemJson }] } });
}
