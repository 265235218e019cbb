import type { InferenceSession } from 'onnxruntime-node';
import type { OrientationEvidence, Quad, ReadingEvidence, Rotation } from '../page.ts';
import type { Raster } from '../raster.ts';
import { quadSize } from '../geometry/index.ts';
import type { CropReading } from '../recognition/rec.model.ts';
import { upsideDownProbabilities } from './cls.model.ts';
import { addRotation, flipQuad, isMostlyVertical, orientQuad } from './page-orientation.ts';

/** Lines sampled for the page-orientation vote. */
const ORIENTATION_SAMPLE = 16;
/** A line is a flip suspect above this upside-down probability (PP-OCR's cls_thresh). */
const FLIP_PROBABILITY = 0.9;
/** Below this share of upside-down votes the classifier alone settles that the proposal is upright. */
const CLASSIFIER_CLEAR = 0.25;
/** Evidence the recognizer needs before a page is turned: characters read, distinct line texts. */
const MIN_CHARS = 24;
const MIN_DISTINCT = 3;
/** How much better (confidence × plain share) the turned reading must be to win. */
const READING_MARGIN = 0.05;

/** Reads quads (corners as the text reads) of `page` with the recognizer. */
export type SampleReader = (page: Raster, quads: readonly Quad[]) => Promise<CropReading[]>;

export interface OrientationDecision {
  /** Whole-page rotation, degrees clockwise. */
  rotation: Rotation;
  evidence: OrientationEvidence;
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

/** Letters (Latin, with accents), digits and the punctuation of ordinary text. */
const PLAIN = /[\p{Script=Latin}0-9.,:;!?'"()\-/%&$€£@#+*=]/u;

/** Confidence and plain-character share of a set of readings, weighted by characters. */
export function readingEvidence(rotation: Rotation, readings: readonly CropReading[]): ReadingEvidence & { chars: number } {
  let n = 0;
  let prob = 0;
  let plain = 0;
  for (const r of readings)
    for (const c of r.chars) {
      if (c.space) continue;
      n++;
      prob += c.prob;
      if (PLAIN.test(c.text)) plain++;
    }
  return { rotation, confidence: n === 0 ? 0 : prob / n, plainShare: n === 0 ? 0 : plain / n, chars: n };
}

const readingScore = (r: ReadingEvidence) => r.confidence * r.plainShare;

/**
 * Page rotation from the detected boxes, the direction classifier and the recognizer. Mostly
 * vertical boxes propose 90 degrees, else 0. A further 180 is considered only when the classifier
 * doubts the proposal over the longest lines; the recognizer then reads that sample both ways.
 * An upright proposal is turned only when the classifier's majority and a clearly better turned
 * reading agree over at least MIN_CHARS characters in MIN_DISTINCT distinct lines (a form of
 * "N/A" answers reads nearly as well upside down): when unsure, the page stays upright.
 */
export async function decideRotation(
  cls: InferenceSession | undefined,
  read: SampleReader,
  page: Raster,
  corners: readonly Quad[],
): Promise<OrientationDecision> {
  const { width: W, height: H } = page;
  const geometry: 0 | 90 = isMostlyVertical(corners) ? 90 : 0;
  const quads = corners.map((c) => orientQuad(c, geometry, W, H));
  const evidence: OrientationEvidence = { decidedBy: 'no-text', geometry, lines: 0, distinct: 0, chars: 0, classifierTurned: 0 };
  if (quads.length === 0) return { rotation: geometry, evidence };
  const sample = orientationSample(quads).map((i) => quads[i]!);
  evidence.lines = sample.length;
  if (cls) {
    const p = await upsideDownProbabilities(cls, page, sample);
    const weights = sample.map((q) => {
      const s = quadSize(q);
      return s.width / Math.max(1, s.height);
    });
    const total = weights.reduce((a, w) => a + w, 0);
    evidence.classifierTurned = total === 0 ? 0 : weights.reduce((a, w, i) => a + (p[i]! > 0.5 ? w : 0), 0) / total;
  }
  if (geometry === 0 && (!cls || evidence.classifierTurned <= CLASSIFIER_CLEAR)) {
    evidence.decidedBy = cls ? 'classifier' : 'unsure';
    return { rotation: 0, evidence };
  }
  const turnedRotation = addRotation(geometry, 180);
  const [kept, turned] = await Promise.all([read(page, sample), read(page, sample.map(flipQuad))]);
  const keptStats = readingEvidence(geometry, kept);
  const turnedStats = readingEvidence(turnedRotation, turned);
  evidence.chars = keptStats.chars;
  // Distinct texts of the upright reading; on a vertical page either reading may be the upright one.
  // (Misread upside down, twenty "N/A" lines come out as many different strings: never count those.)
  const distinct = (rs: readonly CropReading[]) => new Set(rs.map((r) => r.chars.map((c) => c.text).join('').trim().toLowerCase()).filter((t) => t !== '')).size;
  evidence.distinct = geometry === 0 ? distinct(kept) : Math.max(distinct(kept), distinct(turned));
  evidence.readings = [
    { rotation: keptStats.rotation, confidence: keptStats.confidence, plainShare: keptStats.plainShare },
    { rotation: turnedStats.rotation, confidence: turnedStats.confidence, plainShare: turnedStats.plainShare },
  ];
  const enough = Math.max(keptStats.chars, turnedStats.chars) >= MIN_CHARS && evidence.distinct >= MIN_DISTINCT;
  const difference = readingScore(turnedStats) - readingScore(keptStats);
  const classifierSaysTurned = evidence.classifierTurned > 0.5;
  if (geometry === 0) {
    evidence.decidedBy = enough ? 'recognizer' : 'unsure';
    return { rotation: enough && classifierSaysTurned && difference > READING_MARGIN ? turnedRotation : 0, evidence };
  }
  // A vertical page is turned either way: the recognizer settles 90 against 270 when it can.
  if (enough && Math.abs(difference) > READING_MARGIN) {
    evidence.decidedBy = 'recognizer';
    return { rotation: difference > 0 ? turnedRotation : geometry, evidence };
  }
  evidence.decidedBy = cls ? 'classifier' : 'unsure';
  return { rotation: classifierSaysTurned ? turnedRotation : geometry, evidence };
}

/**
 * Lines of an upright page the classifier believes upside down (stamps, flipped footers; the
 * recognizer then decides). Every line is classified only when some line of the sample looks
 * turned; otherwise the sample answers for the page.
 */
export async function flipSuspects(cls: InferenceSession | undefined, page: Raster, quads: readonly Quad[]): Promise<number[]> {
  if (!cls || quads.length === 0) return [];
  const sample = orientationSample(quads);
  const p = await upsideDownProbabilities(cls, page, sample.map((i) => quads[i]!));
  if (!Array.from(p).some((v) => v > FLIP_PROBABILITY)) return [];
  const all = await upsideDownProbabilities(cls, page, quads);
  return quads.map((_, i) => i).filter((i) => all[i]! > FLIP_PROBABILITY);
}
