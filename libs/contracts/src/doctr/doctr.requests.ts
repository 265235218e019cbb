import { z } from 'zod';
import { booleanish, integerish, numberish } from '../common/query.ts';

/** Multipart field carrying the documents of `POST /ocr` (repeatable). */
export const DOCTR_FILES_FIELD = 'files';

/**
 * Query options of `POST /ocr`, names and defaults exactly as the seed. Folio's engine has one
 * detector and one recognizer: the model names are accepted and ignored; the options that shape
 * the answer (`assume_straight_pages`, `straighten_pages`, `detect_orientation`, `group_lines`,
 * `group_blocks`) are honoured by `doctrResponse`; thresholds and batch sizes are passed to the
 * engine where it has a matching knob.
 */
export const doctrQuerySchema = z.object({
  detection_model: z.string().min(1).default('db_resnet50'),
  recognition_model: z.string().min(1).default('crnn_vgg16_bn'),
  assume_straight_pages: booleanish().default(true),
  preserve_aspect_ratio: booleanish().default(true),
  detect_orientation: booleanish().default(false),
  detect_language: booleanish().default(false),
  symmetric_padding: booleanish().default(true),
  straighten_pages: booleanish().default(false),
  /** Pages per detection batch. */
  detection_batch_size: integerish(1, 1024).default(2),
  /** Crops per recognition batch. */
  recognition_batch_size: integerish(1, 4096).default(128),
  disable_page_orientation: booleanish().default(false),
  disable_text_orientation: booleanish().default(false),
  /** Pixel threshold of the detection heatmap, 0..1. */
  binary_threshold: numberish(0, 1).default(0.1),
  /** Least box score kept, 0..1. */
  box_threshold: numberish(0, 1).default(0.1),
  group_lines: booleanish().default(true),
  group_blocks: booleanish().default(false),
  /** Relative vertical gap that splits blocks; used with `group_blocks`. */
  paragraph_break: numberish(0, 1).default(0.0035),
  /** Folio: OCR every page even where the PDF's text layer can be trusted (default: read it). */
  force_ocr: booleanish().default(false),
});
export type DoctrQuery = z.output<typeof doctrQuerySchema>;
