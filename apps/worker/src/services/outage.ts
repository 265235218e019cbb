/**
 * The workers ask the one outage catalogue (`@folio/services`): a job whose error is in it waits
 * for the service to come back instead of using up its attempts.
 */
export { isOutage } from '@folio/services';
