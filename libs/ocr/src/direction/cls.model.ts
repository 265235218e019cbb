import type { InferenceSession } from 'onnxruntime-node';
import { ort } from '../onnx/session.factory.ts';
import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';
import { warpQuadToTensor } from '../image/warp.image.ts';
import { cropInputWidth, REC_HEIGHT } from '../recognition/rec.model.ts';

/** Classifier input width (PP-OCR v2 direction classifier: 3 × 48 × 192). */
const CLS_WIDTH = 192;
const CLS_BATCH = 16;

/**
 * Probability that each crop is upside down (PP-OCR label '180'). Long lines are squeezed into the
 * classifier's 192 columns, as PP-OCR does; short ones are padded.
 */
export async function upsideDownProbabilities(
  session: InferenceSession,
  page: Raster,
  quads: readonly Quad[],
): Promise<Float32Array> {
  const result = new Float32Array(quads.length);
  const plane = REC_HEIGHT * CLS_WIDTH;
  const buffer = new Float32Array(CLS_BATCH * 3 * plane);
  for (let k = 0; k < quads.length; k += CLS_BATCH) {
    const n = Math.min(CLS_BATCH, quads.length - k);
    const input = buffer.subarray(0, n * 3 * plane);
    input.fill(0);
    for (let b = 0; b < n; b++) {
      const q = quads[k + b]!;
      const w = Math.min(CLS_WIDTH, cropInputWidth(q));
      // Orientation survives coarse sampling; long lines squeezed 10× would cost 16 samples a pixel.
      warpQuadToTensor(page, q, input, b * 3 * plane, w, REC_HEIGHT, CLS_WIDTH, plane, 2);
    }
    const out = await session.run({
      [session.inputNames[0]!]: new ort.Tensor('float32', input, [n, 3, REC_HEIGHT, CLS_WIDTH]),
    });
    const probs = out[session.outputNames[0]!]!;
    const data = probs.data as Float32Array;
    for (let b = 0; b < n; b++) result[k + b] = data[b * 2 + 1]!;
    probs.dispose();
  }
  return result;
}
