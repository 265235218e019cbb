export { JOBS, MAINTENANCE_TASKS, type JobData, type JobStage, type MaintenanceTask } from './job.table.ts';
export { defineJob, type JobDefinition } from './job.definition.ts';
export { QUEUE_NAMES, JOB_STAGES, isQueueName, rowIdOf, type QueueName } from './queue.names.ts';
export { rowIdSchema, pageReadSchema, type PageRead } from './job.schemas.ts';
export { recognizeConcurrency } from './recognize.capacity.ts';
export { jobId } from './job.ids.ts';
export {
  JOB_PRIORITY,
  MAX_PRIORITY,
  defaultJobOptions,
  jobAttempts,
  jobDefaultsFromConfig,
  type ConfiguredJobDefaults,
  type JobDefaults,
} from './job.options.ts';
export { isRedisUnreachable } from './redis.errors.ts';
export { createRedisConnection, redisUrlOrDefault, probeRedis, DEFAULT_REDIS_URL, type RedisConnectionOptions } from './redis.connection.ts';
export { createQueues, type Queues, type QueuesOptions, type EnqueueOptions, type QueueDepth } from './queue.client.ts';
export { createWorker, JobDeferredError, type FolioWorker, type JobContext, type JobProcessor, type WorkerOptions } from './queue.worker.ts';
export { createEventBus, type EventBus, type EventHandler } from './event.bus.ts';
export {
  progressEventSchema,
  pageEventSchema,
  fileEventSchema,
  type ProgressEvent,
  type PageEvent,
  type FileEvent,
} from './event.schemas.ts';
// Re-exported so processors can throw it without importing bullmq themselves.
export { UnrecoverableError } from 'bullmq';
