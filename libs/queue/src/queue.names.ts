import { JOBS, type JobData, type JobStage, type QueueName } from './job.table.ts';

export type { QueueName };

/** Every BullMQ queue Folio runs, in the order of {@link JOBS}. */
export const QUEUE_NAMES = Object.freeze(Object.keys(JOBS)) as readonly QueueName[];

/** Narrowing check for names coming from config or CLI input. */
export function isQueueName(s: string): s is QueueName {
  return Object.hasOwn(JOBS, s);
}

/** The metric stages of the jobs timed per job, in queue order. */
export const JOB_STAGES: readonly JobStage[] = QUEUE_NAMES.flatMap((n) => JOBS[n].stage ?? []);

/** The row a job is about: the id its job id derives from. */
export function rowIdOf<N extends QueueName>(name: N, data: JobData<N>): string {
  // One definition per name; TypeScript cannot pair JOBS[N] with JobData<N> across the union.
  const rowId = JOBS[name].rowId as (d: JobData<N>) => string;
  return rowId(data);
}
