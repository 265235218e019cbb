import { z } from 'zod';
import type { OcrPage } from '@folio/ocr';
import { imageOrderQuad, normalizePoint } from '@folio/ocr/geometry';
import { aggregate, type AggregationLevel } from './nim.aggregate.ts';
import type { NimMergeLevel } from './nim.requests.ts';

const pointSchema = z.looseObject({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) });

export const nimTextDetectionSchema = z.looseObject({
  text_prediction: z.looseObject({ text: z.string(), confidence: z.number().min(0).max(1) }),
  bounding_box: z.looseObject({ points: z.array(pointSchema).length(4) }),
});
export type NimTextDetection = z.infer<typeof nimTextDetectionSchema>;

/** `POST /v1/infer` 200 body. */
export const nimInferResponseSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      /** Position of the image in the request's `input`. */
      index: z.int().min(0),
      text_detections: z.array(nimTextDetectionSchema),
    }),
  ),
});
export type NimInferResponse = z.infer<typeof nimInferResponseSchema>;

export const nimHealthLiveSchema = z.looseObject({ live: z.boolean() });
export const nimHealthReadySchema = z.looseObject({ ready: z.boolean() });

const levelMap: Record<NimMergeLevel, AggregationLevel> = { word: 'word', sentence: 'line', paragraph: 'paragraph' };

/**
 * Detections of one page at `level`. Points are the element's four corners divided by the page
 * size and clamped to [0, 1]; they start at the corner nearest the image's top-left and go
 * clockwise, as PaddleOCR orders them, whatever the page rotation. Quads are already in the
 * pixels of the image the client sent, so rotation needs no other correction. Empty texts are
 * dropped.
 */
export function nimTextDetections(page: OcrPage, level: NimMergeLevel): NimTextDetection[] {
  return aggregate(page, levelMap[level])
    .filter((el) => el.text.trim() !== '')
    .map((el) => ({
      text_prediction: { text: el.text, confidence: el.confidence },
      bounding_box: {
        points: imageOrderQuad(el.quad).map((p) => {
          const [x, y] = normalizePoint(p, page.width, page.height);
          return { x, y };
        }),
      },
    }));
}

/** The `/v1/infer` body for the request's images, in input order. */
export function nimInferResponse(images: ReadonlyArray<{ page: OcrPage; level: NimMergeLevel }>): NimInferResponse {
  return { data: images.map(({ page, level }, index) => ({ index, text_detections: nimTextDetections(page, level) })) };
}

/** `GET /v1/health/live`. */
export const nimHealthLive = (live = true) => ({ live });
/** `GET /v1/health/ready` (answer it with 503 while `ready` is false). */
export const nimHealthReady = (ready: boolean) => ({ ready });
