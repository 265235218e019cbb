import { isOutage as isServiceOutage } from '@folio/services';
import { ForeignJobError } from './foreign-job.ts';

/**
 * The workers ask the one outage catalogue (`@folio/services`): a job whose error is in it waits
 * for the service to come back instead of using up its attempts. Another instance's job waits the
 * same way: back to the queue, no attempt used, for its owner.
 */
export function isOutage(err: unknown): boolean {
  return isServiceOutage(err) || err instanceof ForeignJobError;
}
