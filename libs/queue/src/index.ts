export { QUEUE_NAMES, isQueueName, type QueueName } from './queue.names.ts';
export { jobSchemas, rowIdSchema, rowIdOf, MAINTENANCE_TASKS, type JobData, type MaintenanceTask } from './job.schemas.ts';
export { jobId } from './job.ids.ts';
export { JOB_PRIORITY, MAX_PRIORITY, defaultJobOptions, type JobDefaults } from './job.options.ts';
export { createRedisConnection, redisUrlOrDefault, probeRedis, DEFAULT_REDIS_URL, type RedisConnectionOptions } from './redis.connection.ts';
export { createQueues, type Queues, type QueuesOptions, type EnqueueOptions, type QueueDepth } from './queue.client.ts';
export { createWorker, type FolioWorker, type JobContext, type JobProcessor, type WorkerOptions } from './queue.worker.ts';
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
