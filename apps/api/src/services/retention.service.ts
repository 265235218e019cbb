import type { ApiDeps } from '../api.deps.ts';

const DAY_MS = 86_400_000;

/**
 * When a file uploaded now by `orgId` expires: the organization's retention (days), else the
 * deployment's FILE_RETENTION_DAYS. Every file gets one, whatever route made it (Nanonets,
 * Files API, `/v1/ocr` inputs, NIM and docTR images); the reaper removes it after.
 */
export async function expiryFor(deps: Pick<ApiDeps, 'db' | 'config'>, orgId: string, now: Date = new Date()): Promise<Date> {
  const org = await deps.db.organizations.findById(orgId);
  const days = org?.retentionDays ?? deps.config.FILE_RETENTION_DAYS;
  return new Date(now.getTime() + days * DAY_MS);
}

/** The sooner of two expiries: a client may ask to keep a file less long than its organization does, never longer. */
export function sooner(a: Date | null, b: Date): Date {
  return a !== null && a.getTime() < b.getTime() ? a : b;
}
