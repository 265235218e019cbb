import { z } from 'zod';
import { fileExportPendingSchema } from '../mistral/mistral.export.ts';
import { doctrErrorSchema } from '../doctr/doctr.errors.ts';
import { doctrResponseSchema } from '../doctr/doctr.responses.ts';
import {
  mistralDeleteFileSchema,
  mistralErrorSchema,
  mistralFileListSchema,
  mistralFileSchema,
  mistralOcrResponseSchema,
  mistralSignedUrlSchema,
  mistralValidationErrorSchema,
} from '../mistral/mistral.schemas.ts';
import {
  nanonetsAsyncAcceptedSchema,
  nanonetsErrorSchema,
  nanonetsModeratedFileResponseSchema,
  nanonetsPredictionResponseSchema,
  nanonetsTrainResponseSchema,
  nanonetsUploadResponseSchema,
} from '../nanonets/nanonets.schemas.ts';
import { nanonetsModelListSchema, nanonetsModelSchema } from '../nanonets/nanonets.models.ts';
import { nimErrorSchema } from '../nim/nim.errors.ts';
import { nimHealthLiveSchema, nimHealthReadySchema, nimInferResponseSchema } from '../nim/nim.responses.ts';
import { reviewModelListSchema, reviewPageDetailSchema, reviewPageListSchema, reviewPredictionSchema } from '../review/review.schemas.ts';
import { webhookDeliverySchema, webhookEndpointCreatedSchema, webhookEndpointSchema, webhookPayloadSchema } from '../webhooks/webhook.payload.ts';

/** Folio's own error body (routes outside the four dialects: webhooks, review). */
export const folioErrorSchema = z.looseObject({
  error: z.looseObject({ code: z.string(), reason: z.string().nullable(), message: z.string() }),
});

/**
 * Response schemas by component name; the OpenAPI document holds them under `components.schemas`.
 * Operations name them (`schemas: ['MistralFile']`), so this table imports no operation.
 */
export const responseComponents = {
  NanonetsPredictionResponse: nanonetsPredictionResponseSchema,
  NanonetsAsyncAcceptedResponse: nanonetsAsyncAcceptedSchema,
  NanonetsModeratedFileResponse: nanonetsModeratedFileResponseSchema,
  NanonetsUploadResponse: nanonetsUploadResponseSchema,
  NanonetsTrainResponse: nanonetsTrainResponseSchema,
  NanonetsModel: nanonetsModelSchema,
  NanonetsModelList: nanonetsModelListSchema,
  NanonetsError: nanonetsErrorSchema,
  MistralFile: mistralFileSchema,
  MistralFileList: mistralFileListSchema,
  MistralDeleteFile: mistralDeleteFileSchema,
  MistralSignedUrl: mistralSignedUrlSchema,
  MistralOcrResponse: mistralOcrResponseSchema,
  MistralError: mistralErrorSchema,
  MistralExportPending: fileExportPendingSchema,
  MistralValidationError: mistralValidationErrorSchema,
  NimInferResponse: nimInferResponseSchema,
  NimHealthLive: nimHealthLiveSchema,
  NimHealthReady: nimHealthReadySchema,
  NimError: nimErrorSchema,
  DoctrResponse: doctrResponseSchema,
  DoctrError: doctrErrorSchema,
  FolioError: folioErrorSchema,
  WebhookEndpoint: webhookEndpointSchema,
  WebhookEndpointCreated: webhookEndpointCreatedSchema,
  WebhookEndpointList: z.object({ object: z.literal('list'), data: z.array(webhookEndpointSchema) }),
  WebhookEndpointDeleted: z.object({ id: z.string(), object: z.literal('webhook_endpoint'), deleted: z.literal(true) }),
  WebhookDeliveryList: z.object({ object: z.literal('list'), data: z.array(webhookDeliverySchema) }),
  WebhookPayload: webhookPayloadSchema,
  ReviewModelList: reviewModelListSchema,
  ReviewPageList: reviewPageListSchema,
  ReviewPageDetail: reviewPageDetailSchema,
  ReviewPrediction: reviewPredictionSchema,
} satisfies Record<string, z.ZodType>;
export type ResponseComponent = keyof typeof responseComponents;
