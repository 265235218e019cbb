/**
 * Where the span ranker loses F1 on SROIE receipts, on the engine's cached OCR (run
 * `bench:extraction:offline` once first to fill bench/out/ocr-cache):
 *
 *   npx tsx bench/extraction.errors.ts [--n 20] [--splits 3] [--options '{}'] [--examples 4]
 *
 * Fits once per split (as `--quick`), then per field counts every held-out (receipt, field) pair
 * as right, wrong (an answer that is not the truth), or missed (no answer), splits the wrong ones
 * into boundary errors (the answer overlaps the true words: too long or too short) and other
 * candidates winning, says whether the truth was among the candidates at all and prints a few wrong answers beside the truth.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { OcrPage } from '@folio/ocr';
import { alignAnnotations } from '../apps/worker/src/extraction/extraction.align.ts';
import { annotationsOf } from '../apps/worker/src/extraction/extraction.annotations.ts';
import { candidateSpans, spanText } from '../apps/worker/src/extraction/extraction.candidates.ts';
import { fitExtractor, loadExtractor, trimToShape, type LabelledPage } from '../apps/worker/src/extraction/extraction.model.ts';
import { pageTokens } from '../apps/worker/src/extraction/extraction.tokens.ts';
import type { TrainOptions } from '../apps/worker/src/extraction/extraction.values.ts';
import { readReceipts } from './lib/sroie.corpus.ts';
import { sroieOcr } from './lib/sroie-ocr.ts';
import { FIELDS, addScore, emptyScore, microF1, same, scoreTable, shuffled, type Field, type Fields } from './lib/sroie.score.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20' },
    splits: { type: 'string', default: '3' },
    'first-split': { type: 'string', default: '0' },
    options: { type: 'string', default: '{}' },
    examples: { type: 'string', default: '4' },
    corpus: { type: 'string', default: path.resolve(here, '../../shared/extraction/sroie') },
  },
});
const receipts = readReceipts(values.corpus);
const ocr = await sroieOcr(receipts, path.resolve(here, 'out/ocr-cache'));
const trainOptions = JSON.parse(values.options) as TrainOptions;
const n = Number(values.n);
const stats = Object.fromEntries(FIELDS.map((f) => [f, { right: 0, boundary: 0, other: 0, missed: 0, noTruth: 0, wrongAnswerToNone: 0, truthInCands: 0, examples: [] as string[] }]));
const first = Number(values['first-split']);
const total = emptyScore();
const perSplit: string[] = [];
const fitCpu: number[] = [];
const predictMs: number[] = [];
for (let split = first; split < first + Number(values.splits); split++) {
  const order = shuffled(receipts, 1000 + split);
  const pages: LabelledPage[] = [];
  for (const r of order.slice(0, n)) {
    const page = ocr.get(r.id)?.page as OcrPage;
    const tokens = pageTokens(page);
    const aligned = alignAnnotations(tokens, annotationsOf(r.annotation), [...FIELDS]);
    if (aligned.labels.some((l) => l > 0)) pages.push({ tokens, width: page.width, height: page.height, labels: aligned.labels, values: aligned.values });
  }
  const c0 = process.cpuUsage();
  const model = await fitExtractor(pages, [...FIELDS], trainOptions);
  const c1 = process.cpuUsage(c0);
  fitCpu.push((c1.user + c1.system) / 1e6);
  const score = emptyScore();
  const ex = loadExtractor(model);
  if (model.format !== 'folio-fields-spans/1') throw new Error('span model expected');
  for (const r of order.slice(n)) {
    const page = ocr.get(r.id)?.page as OcrPage;
    const tokens = pageTokens(page);
    const t0 = performance.now();
    const found = ex.predict(tokens, page.width, page.height);
    predictMs.push(performance.now() - t0);
    const fields: Fields = {};
    for (const f of FIELDS) {
      const best = found.filter((x) => x.category === f).sort((a, b) => b.score - a.score)[0];
      if (best) fields[f] = best.text.replace(/\n/g, ' ');
    }
    addScore(score, fields, r.key);
    addScore(total, fields, r.key);
    const spans = candidateSpans(tokens, model.limits);
    for (const [c, f] of FIELDS.entries()) {
      const s = stats[f] as (typeof stats)[Field];
      const truth = r.key[f];
      const ans = found.find((x) => x.category === f);
      if (!truth) {
        s.noTruth++;
        if (ans) s.wrongAnswerToNone++;
        continue;
      }
      const matching = spans.filter((sp) => (model.multiLine[c] || sp.firstLine === sp.lastLine) && same(f, trimToShape(spanText(tokens, sp), model.trimShapes[c] ?? []), truth));
      if (matching.length) s.truthInCands++;
      if (ans && same(f, ans.text.replace(/\n/g, ' '), truth)) {
        s.right++;
        continue;
      }
      if (!ans) {
        s.missed++;
        continue;
      }
      const truthTokens = new Set(matching.flatMap((m) => m.tokens));
      const overlaps = ans.tokens.some((i) => truthTokens.has(i));
      if (overlaps) s.boundary++;
      else s.other++;
      if (s.examples.length < Number(values.examples) * Number(values.splits)) s.examples.push(`${r.id} ${overlaps ? 'BOUNDARY' : 'OTHER'} score ${ans.score.toFixed(2)}\n    got:   ${ans.text.replace(/\n/g, ' | ')}\n    truth: ${truth}${matching.length ? '' : '  (not a candidate)'}`);
    }
  }
  perSplit.push(`split ${split}: micro F1 ${microF1(score).toFixed(4)} fit ${fitCpu[fitCpu.length - 1]?.toFixed(1)} CPU s`);
  console.error(perSplit[perSplit.length - 1]);
}
for (const f of FIELDS) {
  const s = stats[f] as (typeof stats)[Field];
  const truths = s.right + s.boundary + s.other + s.missed;
  console.log(`\n## ${f}: ${truths} truths; right ${s.right}, wrong-boundary ${s.boundary}, wrong-other ${s.other}, missed ${s.missed}; truth among candidates ${s.truthInCands}; answers where no truth ${s.wrongAnswerToNone}/${s.noTruth}`);
  for (const e of s.examples) console.log(`  ${e}`);
}
predictMs.sort((a, b) => a - b);
console.log(`\n${scoreTable(`N = ${n}, options ${values.options}`, total)}\n${perSplit.join('\n')}\nprediction p50 ${predictMs[predictMs.length >> 1]?.toFixed(1)} ms/page`);
