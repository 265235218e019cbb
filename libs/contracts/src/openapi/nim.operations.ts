import { nimInferRequestSchema } from '../nim/nim.requests.ts';
import { errorResponses } from './openapi.errors.ts';
import type { Operations } from './openapi.types.ts';

/** NVIDIA NIM image OCR (Bearer). */
export const nimOperations = {
  nimInfer: {
    method: 'post',
    path: '/v1/infer',
    tag: 'NIM',
    summary: 'Text detections of base64 PNG/JPEG data-URL images, boxes normalized to [0, 1]',
    security: 'bearer',
    body: { kind: 'json', schema: nimInferRequestSchema },
    responses: { 200: { description: 'One entry per input image.', schemas: ['NimInferResponse'] }, ...errorResponses('NimError', [401, 422, 429, 500, 503]) },
  },
} satisfies Operations;

/** NIM's health probes (no key): served by the health router with the process's readiness checks. */
export const healthOperations = {
  nimHealthLive: {
    method: 'get',
    path: '/v1/health/live',
    tag: 'NIM',
    summary: 'Liveness',
    security: 'none',
    responses: { 200: { description: 'The process is up.', schemas: ['NimHealthLive'] } },
  },
  nimHealthReady: {
    method: 'get',
    path: '/v1/health/ready',
    tag: 'NIM',
    summary: 'Readiness: models loaded, database, queue and storage reachable',
    security: 'none',
    responses: {
      200: { description: 'Ready.', schemas: ['NimHealthReady'] },
      503: { description: 'Not ready yet.', schemas: ['NimHealthReady'] },
    },
  },
} satisfies Operations;
