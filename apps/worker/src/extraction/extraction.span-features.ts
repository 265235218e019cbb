import { spanText, type Span } from './extraction.candidates.ts';
import { numberOf, textFeatures, type PageContext, type Vocabulary } from './extraction.features.ts';
import { normalizeText, type Token } from './extraction.tokens.ts';

/**
 * Features of a candidate value (a span of words): its text's shape, where it sits (page, line,
 * first/last line counted from the top and bottom, font height), whether it is whole lines, the
 * words just left and right of it and the lines above and below, the learned keywords on its line
 * before and after it, on its visual row to its left and just above it (by geometry, across
 * blocks and columns), on the line below and inside it, and how often its value recurs on the page.
 * Nothing names a document type: the keywords come from the training data.
 */

/** Line-level features, computed once per line. */
function lineFeatures(ctx: PageContext): number[][] {
  return ctx.lines.map((line) => {
    if (line.length === 0) return [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1];
    const text = line.map((t) => t.text).join(' ');
    const x0 = Math.min(...line.map((t) => t.box.xmin));
    const x1 = Math.max(...line.map((t) => t.box.xmax));
    const h = line.reduce((s, t) => s + (t.box.ymax - t.box.ymin), 0) / line.length;
    return [...textFeatures(text).slice(0, 5), x0 / ctx.width, x1 / ctx.width, ((x0 + x1) / 2 - ctx.width / 2) / ctx.width, h / ctx.medianHeight, line.length / 10];
  });
}

const NONE5 = [-1, -1, -1, -1, -1];
const NONE10 = [...NONE5, ...NONE5];

/** Sets flag `offset + i` for each vocabulary word among `tokens`. */
function flag(out: number[], offset: number, tokens: readonly Token[] | undefined, index: ReadonlyMap<string, number>): void {
  for (const t of tokens ?? []) {
    const i = index.get(t.norm);
    if (i !== undefined) out[offset + i] = 1;
  }
}

/** Feature rows of the candidates of one page, in candidate order. */
export function spanFeatures(ctx: PageContext, spans: readonly Span[], vocab: Vocabulary): number[][] {
  const index = new Map(vocab.map((k, i) => [k, i]));
  const lines = lineFeatures(ctx);
  const own = new Map<Token, number[]>(ctx.tokens.map((t) => [t, textFeatures(t.text)]));
  const valueCounts = new Map<string, number>();
  for (const line of ctx.lines) for (const t of line) valueCounts.set(t.norm, (valueCounts.get(t.norm) ?? 0) + 1);
  const v = vocab.length;
  return spans.map((s) => {
    const words = s.tokens.map((i) => ctx.tokens[i] as Token);
    const first = words[0] as Token;
    const last = words[words.length - 1] as Token;
    const text = spanText(ctx.tokens, s);
    const firstLine = ctx.lines[s.firstLine] ?? [];
    const lastLine = ctx.lines[s.lastLine] ?? [];
    const before = firstLine.slice(0, first.index);
    const after = lastLine.slice(last.index + 1);
    const left = before[before.length - 1];
    const right = after[0];
    const x0 = Math.min(...words.map((w) => w.box.xmin));
    const x1 = Math.max(...words.map((w) => w.box.xmax));
    const y0 = Math.min(...words.map((w) => w.box.ymin));
    const y1 = Math.max(...words.map((w) => w.box.ymax));
    const height = words.reduce((a, w) => a + (w.box.ymax - w.box.ymin), 0) / words.length;
    const n = numberOf(text);
    const rank = n === null ? -1 : ctx.numbers.indexOf(n);
    const sameNumber = n === null ? 0 : ctx.numbers.filter((x) => x === n).length;
    const norm = normalizeText(text);
    const lineSpan = s.lastLine - s.firstLine + 1;
    const dense = [
      ...(words.length === 1 ? (own.get(first) as number[]) : textFeatures(text)),
      ...(own.get(first) as number[]).slice(0, 5),
      ...(own.get(last) as number[]).slice(0, 5),
      x0 / ctx.width,
      x1 / ctx.width,
      ((x0 + x1) / 2 - ctx.width / 2) / ctx.width,
      y0 / ctx.height,
      y1 / ctx.height,
      height / ctx.medianHeight,
      Math.min(lineSpan, 8) / 8,
      lineSpan === 1 ? 1 : 0,
      Math.min(words.length, 16) / 16,
      ctx.lineCount ? s.firstLine / ctx.lineCount : 0,
      Math.min(s.firstLine, 20) / 20,
      Math.min(ctx.lineCount - 1 - s.lastLine, 20) / 20,
      first.index === 0 ? 1 : 0,
      after.length === 0 ? 1 : 0,
      first.index === 0 && after.length === 0 ? 1 : 0,
      Math.min(before.length, 8) / 8,
      Math.min(after.length, 8) / 8,
      left ? (first.box.xmin - left.box.xmax) / ctx.medianHeight : -1,
      right ? (right.box.xmin - last.box.xmax) / ctx.medianHeight : -1,
      ...(left ? (own.get(left) as number[]).slice(0, 5) : NONE5),
      ...(right ? (own.get(right) as number[]).slice(0, 5) : NONE5),
      n === null ? 0 : 1,
      rank < 0 ? -1 : Math.min(rank, 10) / 10,
      rank === 0 ? 1 : 0,
      Math.min(sameNumber, 4) / 4,
      lineSpan === 1 && words.length === 1 ? Math.min((valueCounts.get(norm) ?? 1) - 1, 3) / 3 : 0,
      words.reduce((a, w) => a + w.confidence, 0) / words.length,
      ...(lines[s.firstLine - 1] ?? NONE10),
      ...(lines[s.lastLine + 1] ?? NONE10),
      ...(lines[s.firstLine] ?? NONE10),
    ];
    // Keywords by geometry, not by line index: on the same visual row to the left (a label in
    // another column or block), and just above in the same column (a label over its value).
    const rowLeft: Token[] = [];
    const above: Token[] = [];
    const mid = (y0 + y1) / 2;
    const h = Math.max(1, ctx.medianHeight);
    for (const t of ctx.tokens) {
      if (t.box.xmax <= x0 && t.box.ymin < mid && t.box.ymax > mid) rowLeft.push(t);
      else if (t.box.ymax <= y0 + h * 0.3 && t.box.ymax > y0 - h * 2.5 && t.box.xmax > x0 && t.box.xmin < x1) above.push(t);
    }
    const flags = new Array<number>(6 * v).fill(0);
    flag(flags, 2 * v, rowLeft, index);
    flag(flags, 3 * v, above, index);
    flag(flags, 0, before, index);
    flag(flags, v, after, index);
    flag(flags, 4 * v, ctx.lines[s.lastLine + 1], index);
    flag(flags, 5 * v, words, index);
    return dense.concat(flags);
  });
}
