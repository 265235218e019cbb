import type { InferenceSession } from 'onnxruntime-node';
import type { ResolvedEngineOptions } from './engine.options.ts';
import type { DetectionSettings } from './detection/det.model.ts';
import type { DetectionThresholds } from './engine.types.ts';
import type { Block, Line, Point, Quad, Rotation, Word } from './page.ts';
import { measureGlyphs, splitWords, wordGapThresholds, type LineGlyphs } from './recognition/word.split.ts';
import { REC_HEIGHT, type CropReading } from './recognition/rec.model.ts';
import { fromUpright, mapQuad, subQuad, uprightSize } from './geometry/index.ts';
import { layoutPage } from './layout/index.ts';
import { fixLoneZeros } from './recognition/numeric.context.ts';
import { dashKind } from './recognition/dash.kind.ts';
import { dashesOfPage } from './recognition/dash.ink.ts';
import { normalizeToken } from './recognition/token.normalize.ts';
import type { Scratch } from './scratch.ts';

/*
 * From detections and readings to a page's lines and blocks: the steps page-at-a-time
 * (predictor.ts) and batched recognition (batch/batch.predictor.ts) share.
 */

/** How much more confident the turned reading of a suspect line must be to be kept. */
export const FLIP_MARGIN = 0.05;

export function meanProbability(r: CropReading): number {
  const chars = r.chars.filter((c) => !c.space);
  return chars.length === 0 ? 0 : chars.reduce((a, c) => a + c.prob, 0) / chars.length;
}

export interface Sessions {
  det: InferenceSession;
  rec: InferenceSession;
  cls: InferenceSession | undefined;
  /** Page-sized buffers reused from page to page (calls are serialized, so one set suffices). */
  scratch: Scratch;
}

/** A page's lines from its readings, word gaps judged over the whole page; weak lines dropped. */
export function linesOf(quads: readonly Quad[], read: readonly CropReading[], o: ResolvedEngineOptions): Line[] {
  const readings = dashesOfPage(read);
  const glyphs = readings.map((r) => measureGlyphs(r.chars, r.ink, r.stride, r.inputWidth));
  const thresholds = wordGapThresholds(glyphs, {
    height: REC_HEIGHT,
    gapRatio: o.wordGapRatio,
    gapFactor: o.wordGapFactor,
    pitchFactor: o.wordPitchFactor,
    pagePrior: 8,
  });
  const lines: Line[] = [];
  glyphs.forEach((g, i) => {
    const line = toLine(quads[i]!, g, thresholds[i]!, readings[i]!.inset);
    if (line && line.confidence >= o.minLineConfidence) lines.push(line);
  });
  return lines;
}

/** The engine's detection settings, with a page's own thresholds where it has them. */
export function detectionSettings(o: ResolvedEngineOptions, page?: DetectionThresholds): DetectionSettings {
  return {
    maxSide: o.detMaxSide,
    minSide: o.detMinSide,
    threshold: page?.binaryThreshold ?? o.detThreshold,
    boxThreshold: page?.boxThreshold ?? o.boxThreshold,
    unclipRatio: o.unclipRatio,
    minSize: 3,
    maxBoxes: o.maxBoxes,
  };
}

/** A line from one crop's glyphs; word spans (crop columns, `inset` of them margin each side) mapped onto the detected `quad`. */
export function toLine(quad: Quad, g: LineGlyphs, threshold: number, inset = 0): Line | undefined {
  const cropWords = splitWords(g, threshold);
  if (cropWords.length === 0) return undefined;
  const boxWidth = Math.max(1, g.inputWidth - 2 * inset);
  const u = (x: number) => Math.min(1, Math.max(0, (x - inset) / boxWidth));
  const words: Word[] = cropWords.map((w) => ({
    text: dashKind(normalizeToken(w.text)),
    confidence: w.confidence,
    quad: subQuad(quad, u(w.x0), u(w.x1)),
  }));
  const confidence = g.chars.reduce((a, c) => a + c.prob, 0) / g.chars.length;
  return { text: words.map((w) => w.text).join(' '), confidence, quad, words };
}

/**
 * Layout of a page's lines read on its upright pixels (the source turned back by `rotation`);
 * every quad of the result is mapped back to the source page's pixels (`W × H`).
 */
export function layoutToSource(lines: Line[], rotation: Rotation, W: number, H: number): Block[] {
  const blocks = layoutPage(fixLoneZeros(lines), uprightSize(rotation, W, H));
  if (rotation === 0) return blocks;
  const back = (p: Point) => fromUpright(p, rotation, W, H);
  const mapLine = (l: Line): Line => ({ ...l, quad: mapQuad(l.quad, back), words: l.words.map((w) => ({ ...w, quad: mapQuad(w.quad, back) })) });
  return blocks.map((b) => ({ ...b, quad: mapQuad(b.quad, back), lines: b.lines.map(mapLine) }));
}
