import type { InferenceSession } from 'onnxruntime-node';
import type { Quad, Rotation } from '../page.ts';
import type { Raster } from '../raster.ts';
import { quadSize } from '../geometry/index.ts';
import { upsideDownProbabilities } from './cls.model.ts';
import { addRotation, isMostlyVertical, orientQuad } from './page-orientation.ts';

/** Lines sampled for the page-orientation vote. */
const ORIENTATION_SAMPLE = 24;
/** A line is a flip suspect above this upside-down probability (PP-OCR's cls_thresh). */
const FLIP_PROBABILITY = 0.9;

export interface Orientation {
  /** Whole-page rotation, degrees clockwise. */
  rotation: Rotation;
  /** Detected boxes with corners in reading order for that rotation, source pixels. */
  quads: Quad[];
  /** Lines the classifier believes upside down on an otherwise upright page (the recognizer decides). */
  suspects: number[];
}

/** Indexes of the longest clearly elongated lines: the most reliable orientation votes. */
function orientationSample(quads: readonly Quad[]): number[] {
  const sized = quads.map((q, i) => ({ i, ...quadSize(q) }));
  const elongated = sized.filter((s) => s.width >= 2.5 * s.height);
  const pool = elongated.length >= 3 ? elongated : sized;
  return pool
    .sort((a, b) => b.width - a.width)
    .slice(0, ORIENTATION_SAMPLE)
    .map((s) => s.i);
}

/**
 * Page rotation from the boxes and the direction classifier: mostly vertical boxes mean 90 or 270
 * degrees; the classifier's majority over the longest lines adds 180. Only when some sampled line
 * looks upside down on an upright page is every line classified (stamps, flipped footers); lines
 * that already read upright in the sample skip the classifier otherwise.
 */
export async function orientPage(
  cls: InferenceSession | undefined,
  page: Raster,
  corners: readonly Quad[],
  known: Rotation | undefined,
): Promise<Orientation> {
  const { width: W, height: H } = page;
  const orient = (r: Rotation) => corners.map((c) => orientQuad(c, r, W, H));
  if (known !== undefined) return { rotation: known, quads: orient(known), suspects: [] };
  const base: Rotation = isMostlyVertical(corners) ? 90 : 0;
  const quads = orient(base);
  if (!cls || quads.length === 0) return { rotation: base, quads, suspects: [] };
  const sample = orientationSample(quads);
  const p = await upsideDownProbabilities(cls, page, sample.map((i) => quads[i]!));
  const votes = Array.from(p).filter((v) => v > 0.5).length;
  if (votes * 2 > sample.length) {
    const rotation = addRotation(base, 180);
    return { rotation, quads: orient(rotation), suspects: [] };
  }
  if (!Array.from(p).some((v) => v > FLIP_PROBABILITY)) return { rotation: base, quads, suspects: [] };
  const all = await upsideDownProbabilities(cls, page, quads);
  const suspects = quads.map((_, i) => i).filter((i) => all[i]! > FLIP_PROBABILITY);
  return { rotation: base, quads, suspects };
}
