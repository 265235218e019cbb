import { Queue, type JobState, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { defaultJobOptions, JOB_PRIORITY, MAX_PRIORITY, type JobDefaults } from './job.options.ts';
import { jobId } from './job.ids.ts';
import { JOBS, type JobData, type MaintenanceTask } from './job.table.ts';
import { QUEUE_NAMES, rowIdOf, type QueueName } from './queue.names.ts';

/** Options of one `enqueue`. */
export interface EnqueueOptions {
  /** Lower = sooner; see `JOB_PRIORITY`. @defaultValue JOB_PRIORITY.normal (100) */
  priority?: number;
  /** Do not start before this many ms from now. @defaultValue 0 */
  delay?: number;
  /**
   * When a finished (completed or failed, still retained) job holds the id, remove it and add
   * anew. Off by default so that a retried stage re-enqueueing its follow-up does not run it
   * twice; the reconciler turns it on, since it only acts on rows Postgres says are unfinished.
   * @defaultValue false
   */
  replaceFinished?: boolean;
}

/** Jobs that still have work ahead, per queue. `total` = waiting + prioritized + active + delayed. */
export interface QueueDepth {
  waiting: number;
  prioritized: number;
  active: number;
  delayed: number;
  failed: number;
  total: number;
}

/** Options of {@link createQueues}. */
export interface QueuesOptions extends JobDefaults {
  /** Shared by all queues; BullMQ never closes a connection it was given. */
  connection: Redis;
  /** BullMQ key prefix (config `QUEUE_PREFIX`); keeps tests and deployments sharing a Redis apart. */
  prefix: string;
  /**
   * Retry settings of particular queues over the shared ones (webhooks retry longer than pages);
   * `jobDefaultsFromConfig` gives both from config.
   */
  perQueue?: Partial<Record<QueueName, JobDefaults>>;
}

/** Typed producers for every Folio queue. */
export interface Queues {
  readonly prefix: string;
  /**
   * Validates `data` and adds the job under its deterministic id (`jobId(name, row)`).
   * While a job with that id exists (waiting, active, delayed, or retained after finishing)
   * this is a no-op; see `replaceFinished`. Returns the job id.
   */
  enqueue<N extends QueueName>(name: N, data: JobData<N>, opts?: EnqueueOptions): Promise<string>;
  /** Like `enqueue` for many jobs of one queue in one round trip (no `replaceFinished`). */
  enqueueMany<N extends QueueName>(name: N, items: ReadonlyArray<{ data: JobData<N>; opts?: Omit<EnqueueOptions, 'replaceFinished'> }>): Promise<string[]>;
  /** True while the job for `rowId` waits, runs, is delayed (incl. backoff) or is prioritized. */
  hasLiveJob(name: QueueName, rowId: string): Promise<boolean>;
  /** BullMQ state of the job for `rowId`; `'unknown'` when no such job exists. */
  jobState(name: QueueName, rowId: string): Promise<JobState | 'unknown'>;
  /** Removes the job for `rowId` unless it is active (locked); true when removed. */
  removeJob(name: QueueName, rowId: string): Promise<boolean>;
  /** Depth of every queue (backpressure, metrics, autoscaling). */
  counts(): Promise<Record<QueueName, QueueDepth>>;
  /** Runs `task` every `everyMs` ms on the `maintenance` queue (idempotent; updates the interval). */
  schedule(task: MaintenanceTask, everyMs: number): Promise<void>;
  /** Stops a schedule made with `schedule`. */
  unschedule(task: MaintenanceTask): Promise<void>;
  /** The underlying BullMQ queue, for what this facade does not cover. */
  queue<N extends QueueName>(name: N): Queue<JobData<N>, unknown, string>;
  /** Deletes every job and key of every queue under the prefix (tests, `folio reset`). */
  obliterate(): Promise<void>;
  /** Closes the queues (not the shared connection). */
  close(): Promise<void>;
}

type AnyJobData = JobData<QueueName>;

const LIVE_STATES: ReadonlySet<string> = new Set(['waiting', 'prioritized', 'active', 'delayed', 'waiting-children']);

function checkPriority(p: number): number {
  if (!Number.isInteger(p) || p < 1 || p > MAX_PRIORITY) throw new RangeError(`priority must be an integer in 1..${MAX_PRIORITY}, got ${p}`);
  return p;
}

/** Builds the typed queues, one per entry of `JOBS`. Cheap: no connection of its own. */
export function createQueues(opts: QueuesOptions): Queues {
  const { connection, prefix } = opts;
  // Held with the union of all job data: BullMQ's generics cannot be indexed by a generic N.
  // The public methods are typed per queue and validate before anything reaches Redis.
  const queues = Object.fromEntries(
    QUEUE_NAMES.map((name) => [name, new Queue<AnyJobData, unknown, string>(name, { connection, prefix, defaultJobOptions: defaultJobOptions(name, { ...opts, ...opts.perQueue?.[name] }) })]),
  ) as Record<QueueName, Queue<AnyJobData, unknown, string>>;
  const q = (name: QueueName): Queue<AnyJobData, unknown, string> => queues[name];

  function jobOptions(name: QueueName, data: AnyJobData, o: EnqueueOptions = {}): JobsOptions {
    return {
      jobId: jobId(name, rowIdOf(name, data)),
      priority: checkPriority(o.priority ?? JOB_PRIORITY.normal),
      ...(o.delay !== undefined && o.delay > 0 ? { delay: o.delay } : {}),
    };
  }

  const self: Queues = {
    prefix,

    async enqueue(name, data, o) {
      const parsed: AnyJobData = JOBS[name].schema.parse(data);
      const jo = jobOptions(name, parsed, o);
      const id = jo.jobId as string;
      await q(name).add(name, parsed, jo);
      if (o?.replaceFinished) {
        const state = await q(name).getJobState(id);
        if (state === 'completed' || state === 'failed') {
          // A retained finished job swallowed the add; clear it and add again.
          await q(name).remove(id);
          await q(name).add(name, parsed, jo);
        }
      }
      return id;
    },

    async enqueueMany(name, items) {
      const jobs = items.map(({ data, opts: o }) => {
        const parsed: AnyJobData = JOBS[name].schema.parse(data);
        return { name, data: parsed, opts: jobOptions(name, parsed, o) };
      });
      await q(name).addBulk(jobs);
      return jobs.map((j) => j.opts.jobId as string);
    },

    async hasLiveJob(name, rowId) {
      return LIVE_STATES.has(await q(name).getJobState(jobId(name, rowId)));
    },

    async jobState(name, rowId) {
      return q(name).getJobState(jobId(name, rowId));
    },

    async removeJob(name, rowId) {
      const removed = await q(name).remove(jobId(name, rowId));
      return removed === 1;
    },

    async counts() {
      const entries = await Promise.all(
        QUEUE_NAMES.map(async (name) => {
          const c = await q(name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
          const n = (k: string) => c[k] ?? 0;
          const depth: QueueDepth = {
            waiting: n('waiting'),
            prioritized: n('prioritized'),
            active: n('active'),
            delayed: n('delayed'),
            failed: n('failed'),
            total: n('waiting') + n('prioritized') + n('active') + n('delayed'),
          };
          return [name, depth] as const;
        }),
      );
      return Object.fromEntries(entries) as Record<QueueName, QueueDepth>;
    },

    async schedule(task, everyMs) {
      await q('maintenance').upsertJobScheduler(task, { every: everyMs }, { name: 'maintenance', data: { task } });
    },

    async unschedule(task) {
      await q('maintenance').removeJobScheduler(task);
    },

    queue: <N extends QueueName>(name: N) => queues[name] as unknown as Queue<JobData<N>, unknown, string>,

    async obliterate() {
      for (const name of QUEUE_NAMES) await q(name).obliterate({ force: true });
    },

    async close() {
      await Promise.all(QUEUE_NAMES.map((name) => q(name).close()));
    },
  };
  return self;
}
