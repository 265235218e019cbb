import { z } from 'zod';
import { booleanish, integerish, numberish } from '../common/query.ts';

/** Multipart field carrying the documents of `POST /ocr` (repeatable). */
export const DOCTR_FILES_FIELD = 'files';

/**
 * Query options of `POST /ocr`, names as the seed; an option not listed here is refused (422 naming
 * it). Folio's engine has one detector and one recognizer: the model names and batch sizes are
 * accepted and ignored. `binary_threshold` and `box_threshold` reach the detector's
 * post-processing; `paragraph_break`, `detect_language` and the options that shape the answer
 * (`assume_straight_pages`, `straighten_pages`, `detect_orientation`, `group_lines`,
 * `group_blocks`) are honoured by `doctrResult`.
 */
export const doctrQuerySchema = z.strictObject({
  detection_model: z.string().min(1).default('db_resnet50'),
  recognition_model: z.string().min(1).default('crnn_vgg16_bn'),
  assume_straight_pages: booleanish().default(true),
  preserve_aspect_ratio: booleanish().default(true),
  detect_orientation: booleanish().default(false),
  detect_language: booleanish()
    .default(false)
    .describe('Detect the page language (ISO 639-1, from the recognized text with the `eld` n-gram detector); `null` when the text is too short or mixed to tell.'),
  symmetric_padding: booleanish().default(true),
  straighten_pages: booleanish().default(false),
  /** Pages per detection batch. */
  detection_batch_size: integerish(1, 1024).default(2),
  /** Crops per recognition batch. */
  recognition_batch_size: integerish(1, 4096).default(128),
  disable_page_orientation: booleanish().default(false),
  disable_text_orientation: booleanish().default(false),
  /**
   * Pixel threshold of the detection heatmap, 0..1. Absent: the engine's own (0.3, calibrated for
   * its PP-OCR detector; docTR's 0.1 is calibrated for docTR's models).
   */
  binary_threshold: numberish(0, 1)
    .optional()
    .describe("Pixel-level threshold of the detector's segmentation heatmap (0..1); lower values find more text and more noise. Default: the engine's calibrated value, 0.3."),
  /** Least mean heatmap score of a kept box, 0..1. Absent: the engine's own (0.6). */
  box_threshold: numberish(0, 1)
    .optional()
    .describe("Least confidence (mean heatmap score) of a kept box (0..1); higher values keep fewer boxes. Default: the engine's calibrated value, 0.6."),
  group_lines: booleanish().default(true),
  group_blocks: booleanish().default(false),
  /** Relative vertical gap that splits blocks; used with `group_blocks`. */
  paragraph_break: numberish(0, 1)
    .default(0.0035)
    .describe('With `group_blocks`: a vertical gap between consecutive lines larger than this share of the page height starts a new block (blocks never span columns).'),
  /** Folio: OCR every page even where the PDF's text layer can be trusted (default: read it). */
  force_ocr: booleanish().default(false),
});
export type DoctrQuery = z.output<typeof doctrQuerySchema>;
