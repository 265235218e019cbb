const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `id` can be a row id. Ids come from URLs; a malformed one must read as "not found",
 * not as the Postgres error `invalid input syntax for type uuid`.
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

const DAY_MS = 86_400_000;

/** UTC days since 1970-01-01 (Nanonets `day_since_epoch`). */
export function daySinceEpoch(at: Date = new Date()): number {
  return Math.floor(at.getTime() / DAY_MS);
}

/** Clamps a page size. @defaultValue 20, at most 1000 */
export function pageSize(limit: number | undefined, fallback = 20, max = 1000): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(Math.max(1, Math.floor(limit)), max);
}
