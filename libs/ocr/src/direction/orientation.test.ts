/**
 * The page-orientation decision with a stand-in classifier and recognizer: an upright proposal is
 * turned only on enough agreeing evidence, and kept when unsure.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';
import type { CropReading } from '../recognition/rec.model.ts';
import { decideRotation, type SampleReader } from './orientation.ts';

const page: Raster = { data: new Uint8Array(600 * 800).fill(255), width: 600, height: 800, channels: 1 };
/** `n` horizontal lines, 300 × 20 px. */
const lines = (n: number): Quad[] =>
  Array.from({ length: n }, (_, i) => [
    [50, 40 + i * 40],
    [350, 40 + i * 40],
    [350, 60 + i * 40],
    [50, 60 + i * 40],
  ]);

/** A direction classifier answering `turned` (probability of 180°) for every crop. */
function classifier(turned: number): InferenceSession {
  return {
    inputNames: ['x'],
    outputNames: ['y'],
    run: async (feeds: Record<string, { dims: readonly number[] }>) => {
      const n = feeds['x']!.dims[0]!;
      const data = new Float32Array(2 * n);
      for (let b = 0; b < n; b++) [data[2 * b], data[2 * b + 1]] = [1 - turned, turned];
      return { y: { data, dispose: () => undefined } };
    },
  } as unknown as InferenceSession;
}

const reading = (text: string, prob: number): CropReading => ({
  chars: [...text].map((c, t) => ({ text: c, t0: t, t1: t, prob, space: c === ' ', spaceBefore: 0 })),
  stride: 4,
  inputWidth: 4 * text.length,
  inset: 0,
  ink: new Uint8Array(0),
});

/** A recognizer reading `kept` texts as proposed and `turned` texts turned 180°, with the given confidences. */
function reader(kept: (i: number) => [string, number], turned: (i: number) => [string, number]): SampleReader & { calls: number } {
  let call = 0;
  const read = (async (_page: Raster, quads: readonly Quad[]) => {
    read.calls++;
    // decideRotation reads the sample as proposed first, then turned.
    const f = call++ % 2 === 0 ? kept : turned;
    return quads.map((_, i) => reading(...f(i)));
  }) as SampleReader & { calls: number };
  read.calls = 0;
  return read;
}

describe('decideRotation', () => {
  it('keeps an upright page when the classifier sees it upright, without reading', async () => {
    const read = reader(() => ['x', 1], () => ['x', 1]);
    const d = await decideRotation(classifier(0.05), read, page, lines(10));
    expect(d).toMatchObject({ rotation: 0, evidence: { decidedBy: 'classifier', geometry: 0, lines: 10, classifierTurned: 0 } });
    expect(read.calls).toBe(0);
  });

  it('keeps a form of "N/A" answers upright even when the classifier and the turned reading prefer 180°', async () => {
    const read = reader(() => ['N/A', 0.8], () => ['V/N', 0.95]);
    const d = await decideRotation(classifier(0.9), read, page, lines(12));
    expect(d.rotation).toBe(0);
    expect(d.evidence).toMatchObject({ decidedBy: 'unsure', distinct: 1 });
    expect(d.evidence.readings?.map((r) => r.rotation)).toEqual([0, 180]);
  });

  it('turns a page when the classifier and a clearly better turned reading of varied lines agree', async () => {
    const read = reader((i) => [`ˌsɐ˙ʇ ${i}`, 0.55], (i) => [`Invoice line ${i} total`, 0.97]);
    const d = await decideRotation(classifier(0.95), read, page, lines(8));
    expect(d).toMatchObject({ rotation: 180, evidence: { decidedBy: 'recognizer', classifierTurned: 1 } });
  });

  it('keeps the page upright when the recognizer disagrees with the classifier', async () => {
    const read = reader((i) => [`Invoice line ${i} total`, 0.97], (i) => [`ˌsɐ˙ʇ ${i}`, 0.55]);
    const d = await decideRotation(classifier(0.95), read, page, lines(8));
    expect(d).toMatchObject({ rotation: 0, evidence: { decidedBy: 'recognizer' } });
  });

  it('reports no text on an empty page', async () => {
    const d = await decideRotation(classifier(0.95), reader(() => ['x', 1], () => ['x', 1]), page, []);
    expect(d).toMatchObject({ rotation: 0, evidence: { decidedBy: 'no-text', lines: 0 } });
  });
});
