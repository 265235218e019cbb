// @folio/db: the only package that imports Prisma. Rows are plain objects typed from the schema.
export { createDb, type Db, type DbOptions } from './db.client.ts';
export { DbError, isDbError, isDbUnreachable, toDbError, withDbErrors, type DbErrorCode } from './db.errors.ts';
export { daySinceEpoch, isUuid } from './db.util.ts';
export { createRepositories, type Repositories } from './repositories/index.ts';

export {
  createOrganizationRepository,
  DEV_MODEL_NAME,
  DEV_ORGANIZATION_SLUG,
  type DevOrganization,
  type OrganizationRepository,
  type OrganizationRow,
} from './repositories/organization.repository.ts';
export {
  apiKeyPrefix,
  createApiKeyRepository,
  generateApiKey,
  hashApiKey,
  type ApiKeyRepository,
  type ApiKeyRow,
} from './repositories/api-key.repository.ts';
export { createModelRepository, type CreateModelInput, type ModelRepository, type ModelRow } from './repositories/model.repository.ts';
export {
  createFileRepository,
  PAGE_NOT_PROCESSED,
  type CreateFileInput,
  type FileList,
  type FileProgress,
  type FileRepository,
  type FileRow,
  type FileUpdate,
  type FinalizeResult,
  type ListFilesOptions,
} from './repositories/file.repository.ts';
export {
  createPageRepository,
  type PageRepository,
  type PageResultInput,
  type PageRow,
  type PageSummary,
  type PageWithPredictions,
  type RenderedPage,
  type ReviewQueueOptions,
} from './repositories/page.repository.ts';
export {
  createPredictionRepository,
  type ListPredictionsOptions,
  type PredictionInput,
  type PredictionRepository,
  type PredictionRow,
} from './repositories/prediction.repository.ts';
export {
  createModerationRepository,
  type ModerationEventRow,
  type ModerationFailure,
  type ModerationOutcome,
  type ModerationRepository,
  type PredictionPatch,
  type PredictionRef,
  type ReviewCursor,
  type ReviewListOptions,
  type ReviewPageRow,
} from './repositories/moderation.repository.ts';
export { boxProblem, type PixelBox } from './repositories/prediction.box.ts';
export {
  createTrainingRepository,
  type TrainingImageInput,
  type TrainingImageRow,
  type TrainingRepository,
  type TrainingRunRow,
  type ModelVersionRow,
  type ModeratedPageRow,
} from './repositories/training.repository.ts';
export {
  createWebhookRepository,
  type CreateDeliveriesInput,
  type CreateEndpointInput,
  type DeliveryAttempt,
  type WebhookDeliveryRow,
  type WebhookDeliveryWithEndpoint,
  type WebhookEndpointRow,
  type WebhookRepository,
} from './repositories/webhook.repository.ts';

export { migrate, MigrationError, MIGRATE_ADVISORY_LOCK, type MigrateOptions, type MigrateResult } from './migrations/migration.runner.ts';
export { databaseName, dropDatabase, ensureDatabase } from './migrations/database.admin.ts';

// Enum values and types (`FileStatus.COMPLETE`, `type FileStatus`), and the client type for tests.
export {
  FileSource,
  FileStatus,
  ModelKind,
  ModerationState,
  PageStatus,
  PredictionSource,
  ProcessingType,
  TrainingRunStatus,
  WebhookDeliveryStatus,
} from './generated/enums.ts';
export type { PrismaClient } from './generated/client.ts';
/** JSON as read back from a Json column (`page.result`, `prediction.cells`, …). */
export type JsonValue = import('./generated/client.ts').Prisma.JsonValue;
