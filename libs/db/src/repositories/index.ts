import type { PrismaClient } from '../generated/client.ts';
import { createApiKeyRepository } from './api-key.repository.ts';
import { createFileRepository } from './file.repository.ts';
import { createModelRepository } from './model.repository.ts';
import { createModerationRepository } from './moderation.repository.ts';
import { createOrganizationRepository } from './organization.repository.ts';
import { createPageRepository } from './page.repository.ts';
import { createPredictionRepository } from './prediction.repository.ts';
import { createTrainingRepository } from './training.repository.ts';
import { createWebhookRepository } from './webhook.repository.ts';

/** Every repository over one Prisma client. */
export function createRepositories(prisma: PrismaClient) {
  return {
    organizations: createOrganizationRepository(prisma),
    apiKeys: createApiKeyRepository(prisma),
    models: createModelRepository(prisma),
    files: createFileRepository(prisma),
    pages: createPageRepository(prisma),
    predictions: createPredictionRepository(prisma),
    moderation: createModerationRepository(prisma),
    training: createTrainingRepository(prisma),
    webhooks: createWebhookRepository(prisma),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
