import { QUEUE_NAMES } from '@folio/queue';
import type { ApiDeps } from '../api.deps.ts';

/** A queue as libs/queue hands it out (BullMQ stays behind libs/queue). */
export type DashboardQueue = ReturnType<ApiDeps['queues']['queue']>;

/** Every Folio queue, in `QUEUE_NAMES` order, as the operators' dashboard lists them. */
export function dashboardQueues(deps: ApiDeps): DashboardQueue[] {
  return QUEUE_NAMES.map((name) => deps.queues.queue(name));
}
