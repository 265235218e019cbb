import { spanKey, type Span } from './extraction.candidates.ts';
import { normalizeText, type Token } from './extraction.tokens.ts';

/** How many wrong answers of each kind a training page may give (see negativeSpans). */
export interface NegativeBudget {
  hard: number;
  easy: number;
  twins: boolean;
}

/**
 * The wrong answers a training page teaches the span ranker: runs of whole lines overlapping a
 * value (one line more or fewer than an address: few per page, and what a multi-line value is
 * most often confused with) all kept when `twins` is on (the span ranker's default); other candidates overlapping a value
 * (a word too many or too few) and candidates far from every value each drawn at random up to
 * their budget. A candidate holding a value itself, or the same value elsewhere on the page (a
 * total printed twice), is not a wrong answer and is taught neither way.
 */
export function negativeSpans(tokens: readonly Token[], positives: ReadonlyArray<{ span: Span; category: number }>, candidates: readonly Span[], budget: NegativeBudget, rand: () => number): Span[] {
  const byKey = new Set(positives.map((pos) => spanKey(pos.span.tokens)));
  const valueOf = (s: Span) => normalizeText(s.tokens.map((i) => tokens[i]?.text ?? '').join(''));
  const values = new Set(positives.map((pos) => valueOf(pos.span)));
  const inPositive = new Set(positives.flatMap((pos) => pos.span.tokens));
  const twins: Span[] = [];
  const hard: Span[] = [];
  const easy: Span[] = [];
  for (const s of candidates) {
    if (byKey.has(spanKey(s.tokens)) || values.has(valueOf(s))) continue;
    if (!s.tokens.some((i) => inPositive.has(i))) easy.push(s);
    else (budget.twins && s.lastLine > s.firstLine ? twins : hard).push(s);
  }
  const pick = (xs: Span[], n: number) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [xs[i], xs[j]] = [xs[j] as Span, xs[i] as Span];
    }
    return xs.slice(0, n);
  };
  return [...twins, ...pick(hard, budget.hard), ...pick(easy, budget.easy)];
}
