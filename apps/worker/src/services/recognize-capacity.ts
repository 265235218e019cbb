import type { Config } from '@folio/config';
import { recognizeConcurrency } from '@folio/queue';

/** The render-ahead bound: `RENDER_AHEAD_PAGES`, else twice the recognize concurrency. 0 = none. */
export function renderAheadPages(c: Parameters<typeof recognizeConcurrency>[0] & Pick<Config, 'RENDER_AHEAD_PAGES'>): number {
  return c.RENDER_AHEAD_PAGES ?? 2 * recognizeConcurrency(c);
}
