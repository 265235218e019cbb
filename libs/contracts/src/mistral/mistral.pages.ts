import { z } from 'zod';
import { MISTRAL_MAX_PAGE_LIST } from './mistral.requests.ts';

/** What the client asked for, before the page count is known. Ranges are inclusive. */
export type PageSpec = { all: true } | { all: false; ranges: Array<[number, number]> };

export type PageSpecResult = { ok: true; spec: PageSpec } | { ok: false; message: string };
export type PageSelectionResult = { ok: true; pages: number[] } | { ok: false; message: string };

const token = /^(\d+)(?:\s*-\s*(\d+))?$/;

/**
 * Checks the syntax of `pages` without the page count: an integer, a string such as `"0-2"` or
 * `"0,2-4"`, or a list of at most 1000 integers; all zero-based. `null`/`undefined` mean every page.
 */
export function parsePageSpec(input: unknown): PageSpecResult {
  if (input === undefined || input === null) return { ok: true, spec: { all: true } };
  const index = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (typeof input === 'number') {
    if (!index(input)) return { ok: false, message: `pages must be a non-negative integer, got ${input}.` };
    return { ok: true, spec: { all: false, ranges: [[input, input]] } };
  }
  if (Array.isArray(input)) {
    if (input.length === 0) return { ok: false, message: 'pages must not be an empty list.' };
    if (input.length > MISTRAL_MAX_PAGE_LIST) {
      return { ok: false, message: `A pages list cannot exceed ${MISTRAL_MAX_PAGE_LIST} items (got ${input.length}).` };
    }
    const bad = input.find((n) => !index(n));
    if (bad !== undefined) return { ok: false, message: `pages must hold non-negative integers, got ${JSON.stringify(bad)}.` };
    return { ok: true, spec: { all: false, ranges: (input as number[]).map((n) => [n, n]) } };
  }
  if (typeof input === 'string') {
    const parts = input.split(',').map((p) => p.trim());
    if (parts.length > MISTRAL_MAX_PAGE_LIST) {
      return { ok: false, message: `pages cannot list more than ${MISTRAL_MAX_PAGE_LIST} items.` };
    }
    const ranges: Array<[number, number]> = [];
    for (const part of parts) {
      const m = token.exec(part);
      if (!m) {
        return {
          ok: false,
          message: `pages "${input}" is not valid: use an index ("3"), a range ("0-2") or a comma list ("0,2-4"); "${part}" is neither.`,
        };
      }
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return { ok: false, message: `pages "${part}" is too large.` };
      if (to < from) return { ok: false, message: `pages range "${part}" runs backwards; write it as "${to}-${from}".` };
      ranges.push([from, to]);
    }
    return { ok: true, spec: { all: false, ranges } };
  }
  return { ok: false, message: 'pages must be an integer, a string such as "0-2", or a list of integers.' };
}

/**
 * The zero-based page indexes to process, ascending and without duplicates. Any index at or past
 * `pageCount` is an error naming the valid range.
 */
export function resolvePageSpec(spec: PageSpec, pageCount: number): PageSelectionResult {
  if (spec.all) return { ok: true, pages: Array.from({ length: pageCount }, (_, i) => i) };
  const last = pageCount - 1;
  const beyond = spec.ranges.find(([, to]) => to > last);
  if (beyond) {
    const asked = beyond[0] === beyond[1] ? `Page ${beyond[1]}` : `Pages ${beyond[0]}-${beyond[1]}`;
    const valid = pageCount === 1 ? 'only page 0' : `pages 0-${last}`;
    return {
      ok: false,
      message: `${asked} out of range: the document has ${pageCount} page${pageCount === 1 ? '' : 's'} (${valid}, zero-based).`,
    };
  }
  const set = new Set<number>();
  for (const [from, to] of spec.ranges) for (let p = from; p <= to; p++) set.add(p);
  return { ok: true, pages: [...set].sort((a, b) => a - b) };
}

/** `parsePageSpec` then `resolvePageSpec`: the pages to process, or a message for the client. */
export function parsePageSelection(input: unknown, pageCount: number): PageSelectionResult {
  const parsed = parsePageSpec(input);
  return parsed.ok ? resolvePageSpec(parsed.spec, pageCount) : parsed;
}

/** A page selection as stored with the file (`File.pageSelection`): zero-based inclusive ranges. */
export const storedPageRangesSchema = z.array(z.tuple([z.int().min(0), z.int().min(0)]));

/** The ranges to store for a spec: null when every page is wanted. */
export function pageRangesOf(spec: PageSpec): Array<[number, number]> | null {
  return spec.all ? null : spec.ranges.map(([from, to]) => [from, to]);
}

/**
 * The pages of a `pageCount`-page document that a stored selection asks for, ascending; every
 * page when nothing (or something unreadable) is stored. Indexes past the end are left out (the
 * API refuses such a request; the worker just does not create them).
 */
export function selectedPageIndexes(stored: unknown, pageCount: number): number[] {
  const parsed = storedPageRangesSchema.safeParse(stored);
  if (stored === null || stored === undefined || !parsed.success) return Array.from({ length: pageCount }, (_, i) => i);
  const set = new Set<number>();
  for (const [from, to] of parsed.data) for (let p = from; p <= Math.min(to, pageCount - 1); p++) set.add(p);
  return [...set].sort((a, b) => a - b);
}
