import type { Span } from './extraction.candidates.ts';
import type { PageContext } from './extraction.features.ts';

/**
 * Features of a candidate's place among the page's lines as a reader sees them: how many lines
 * are printed larger than its own, whether its line is the page's largest, how many lines with
 * letters and how many blocks (runs of lines without a wide vertical gap) come before it, and how
 * far it is from the largest line. A heading (a sender, a company) is often the first or the
 * largest thing on a page, but which category that holds for is left to the learner: these are
 * only positions, named by nothing.
 */

/** A vertical gap this many median word heights wide between two lines starts a new block. */
const BLOCK_GAP = 0.8;
/** Heights within this ratio count as the same size (OCR boxes jitter by a few pixels). */
const SAME_SIZE = 0.93;

export function regionFeatures(ctx: PageContext, spans: readonly Span[]): number[][] {
  const lines = ctx.lineBoxes.map((box, i) => box && { ...box, letters: (ctx.lines[i] ?? []).some((t) => /\p{L}/u.test(t.text)) });
  const h = Math.max(1, ctx.medianHeight);
  // Per line: lettered lines and blocks before it.
  const letteredBefore: number[] = [];
  const blockOf: number[] = [];
  let lettered = 0;
  let block = 0;
  let prevBottom: number | null = null;
  lines.forEach((l, i) => {
    if (l && prevBottom !== null && l.top - prevBottom > BLOCK_GAP * h) block++;
    letteredBefore[i] = lettered;
    blockOf[i] = block;
    if (l) {
      if (l.letters) lettered++;
      prevBottom = Math.max(prevBottom ?? l.bottom, l.bottom);
    }
  });
  const heights = lines.map((l) => l?.height ?? 0);
  const tallest = heights.reduce((best, x, i) => (x > (heights[best] ?? 0) ? i : best), 0);
  const maxHeight = Math.max(1, heights[tallest] ?? 1);
  const larger = (x: number) => heights.filter((y) => y * SAME_SIZE > x).length;
  const asLargeBefore = (line: number, x: number) => heights.slice(0, line).filter((y) => y >= x * SAME_SIZE).length;
  // Most candidates lie within one line: its counts are computed once, not per candidate.
  const perLine = heights.map((x, line) => ({ rank: larger(x), above: asLargeBefore(line, x) }));
  return spans.map((s) => {
    let own = 0;
    for (let l = s.firstLine; l <= s.lastLine; l++) own = Math.max(own, heights[l] ?? 0);
    const single = s.firstLine === s.lastLine;
    const rank = single ? (perLine[s.firstLine]?.rank ?? 0) : larger(own);
    const asLargeAbove = single ? (perLine[s.firstLine]?.above ?? 0) : asLargeBefore(s.firstLine, own);
    const blocks = blockOf[s.firstLine] ?? 0;
    const fromTallest = s.firstLine <= tallest && tallest <= s.lastLine ? 0 : s.firstLine > tallest ? s.firstLine - tallest : s.lastLine - tallest;
    return [
      Math.min(rank, 5) / 5,
      rank === 0 ? 1 : 0,
      own / maxHeight,
      Math.min(asLargeAbove, 5) / 5,
      Math.min(letteredBefore[s.firstLine] ?? 0, 10) / 10,
      (letteredBefore[s.firstLine] ?? 0) === 0 ? 1 : 0,
      Math.min(blocks, 5) / 5,
      blocks === 0 ? 1 : 0,
      Math.max(-5, Math.min(5, fromTallest)) / 5,
    ];
  });
}
