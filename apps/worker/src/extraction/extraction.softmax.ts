/** Class probabilities from class scores (logits), shifted by their largest for exp's range. */
export function softmax(scores: ArrayLike<number>): number[] {
  let m = -Infinity;
  for (let c = 0; c < scores.length; c++) m = Math.max(m, scores[c] as number);
  const e = Array.from(scores, (s) => Math.exp(s - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
