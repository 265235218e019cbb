/**
 * The field extractor alone on SROIE receipts, on the engine's cached OCR (no API, no queue):
 *
 *   npm run bench:extraction:offline -- [--n 20,100] [--splits 3] [--corpus ../shared/extraction/sroie]
 *
 * Same splits (seeded shuffle 1000 + split, first N train, the rest held out) and scoring as
 * `bench:extraction`. Prints first the OCR ceiling (for how many held-out (receipt, field) pairs
 * the truth is a span of the OCR words at all, under the scoring's equality rule: what no learner
 * on this OCR can beat), then per-field and micro P/R/F1 of the learned extractor beside the
 * keyword-and-regex floor on the same receipts, the fit's wall and CPU seconds, and prediction
 * milliseconds per page, and how well the served scores are calibrated on the held-out receipts
 * (answers binned by score against the share right, ECE and Brier score; meaningless with --quick,
 * which skips calibration). OCR is read once and cached under bench/out/ocr-cache.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { pageToText, type OcrPage } from '@folio/ocr';
import { alignAnnotations } from '../apps/worker/src/extraction/extraction.align.ts';
import { candidateSpans } from '../apps/worker/src/extraction/extraction.candidates.ts';
import { fitExtractor, loadExtractor, trimToShape, type LabelledPage } from '../apps/worker/src/extraction/extraction.model.ts';
import { pageTokens, type Token } from '../apps/worker/src/extraction/extraction.tokens.ts';
import { z } from 'zod';
import type { TrainOptions } from '../apps/worker/src/extraction/extraction.values.ts';
import { trainExtractor } from '../apps/worker/src/extraction/extraction.trainer.ts';
import { annotationsOf } from '../apps/worker/src/extraction/extraction.annotations.ts';
import { readReceipts } from './lib/sroie.corpus.ts';
import { machineNote, percentile } from './lib/services.ts';
import { sroieOcr } from './lib/sroie-ocr.ts';
import { FIELDS, addScore, emptyScore, keywordExtractor, microF1, same, scoreTable, shuffled, type Field, type Fields, type Score } from './lib/sroie.score.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20,100' },
    splits: { type: 'string', default: '3' },
    /** First split to run (`--first-split 3 --splits 3` runs splits 3–5), to add splits to an earlier run. */
    'first-split': { type: 'string', default: '0' },
    /** Learners compared in the same run: the span ranker (served) and the earlier word tagger. */
    learners: { type: 'string', default: 'spans,words' },
    /** Training options as JSON (`{"shapes":false}`), to compare variants of a learner run by run. */
    options: { type: 'string', default: '{}' },
    /** Fit once on the training receipts, without the validation fit and calibration (same answers, half the time): for comparing variants. */
    quick: { type: 'boolean', default: false },
    corpus: { type: 'string', default: process.env.FOLIO_EXTRACTION_DIR ?? path.resolve(here, '../../shared/extraction/sroie') },
  },
});
const corpus = values.corpus;
const trainOptions = z.record(z.string(), z.unknown()).parse(JSON.parse(values.options)) as TrainOptions;
const receipts = readReceipts(corpus);

console.log(machineNote());
console.log(`training options: ${JSON.stringify(trainOptions)}`);
const ocr = await sroieOcr(receipts, path.resolve(here, 'out/ocr-cache'), (line) => console.error(line));
const pageOf = (id: string) => ocr.get(id)?.page as OcrPage;

/** Is the truth a span of the words (within a line, or running over up to `maxLines` lines)? */
function spanCeiling(tokens: readonly Token[], field: Field, truth: string, maxLines = 8): boolean {
  for (let i = 0; i < tokens.length; i++) {
    let text = '';
    for (let j = i; j < tokens.length; j++) {
      const t = tokens[j] as Token;
      if (t.line - (tokens[i] as Token).line >= maxLines) break;
      text += (j > i ? ' ' : '') + t.text;
      if (same(field, text, truth)) return true;
    }
  }
  return false;
}

/** Answers binned by score, each bin's share right, the expected calibration error (|score − share right|, weighted by answers) and the Brier score (mean (score − right)²). */
function calibrationLine(answers: ReadonlyArray<[number, boolean]>): string {
  const edges = [0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001];
  const bins = edges.slice(1).map((to, i) => ({ from: edges[i] as number, to, n: 0, right: 0, sum: 0 }));
  for (const [score, right] of answers) {
    const bin = bins.find((b) => score >= b.from && score < b.to);
    if (!bin) continue;
    bin.n++;
    bin.sum += score;
    if (right) bin.right++;
  }
  const ece = bins.reduce((a, b) => a + (b.n ? Math.abs(b.sum / b.n - b.right / b.n) * b.n : 0), 0) / Math.max(1, answers.length);
  const brier = answers.reduce((a, [score, right]) => a + (score - (right ? 1 : 0)) ** 2, 0) / Math.max(1, answers.length);
  const shown = bins.filter((b) => b.n > 0).map((b) => `[${b.from.toFixed(2)}, ${Math.min(1, b.to).toFixed(2)}): ${b.n} answers, mean score ${(b.sum / b.n).toFixed(2)}, right ${(b.right / b.n).toFixed(2)}`);
  return `calibration of the served scores on held-out receipts${values.quick ? ' (--quick: uncalibrated)' : ''}: ${shown.join('; ')}; ECE ${ece.toFixed(3)}, Brier ${brier.toFixed(3)}`;
}

const FIELD_CATEGORIES = [...FIELDS];
for (const n of values.n.split(',').map(Number)) {
  const learners = values.learners.split(',') as Array<'spans' | 'words'>;
  const learned = new Map(learners.map((l) => [l, emptyScore()]));
  const answeringAll = new Map(learners.map((l) => [l, emptyScore()]));
  const fitWall = new Map(learners.map((l) => [l, [] as number[]]));
  const fitCpu = new Map(learners.map((l) => [l, [] as number[]]));
  const predictMs = new Map(learners.map((l) => [l, [] as number[]]));
  /** (score, right) of every answer on held-out receipts: whether a score of 0.9 is right about nine times in ten. */
  const answers = new Map(learners.map((l) => [l, [] as Array<[number, boolean]>]));
  const floor = emptyScore();
  const ceiling = { span: emptyScore(), text: emptyScore(), candidates: emptyScore() };
  const perSplit: string[] = [];
  const firstSplit = Number(values['first-split']);
  for (let split = firstSplit; split < firstSplit + Number(values.splits); split++) {
    const order = shuffled(receipts, 1000 + split);
    const train = order.slice(0, n);
    const test = order.slice(n);
    const pages: LabelledPage[] = [];
    for (const r of train) {
      const page = pageOf(r.id);
      const tokens = pageTokens(page);
      const aligned = alignAnnotations(tokens, annotationsOf(r.annotation), FIELD_CATEGORIES);
      if (aligned.labels.some((l) => l > 0)) pages.push({ tokens, width: page.width, height: page.height, labels: aligned.labels, values: aligned.values });
    }
    const extractors = [];
    for (const learner of learners) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const trained = values.quick ? { model: await fitExtractor(pages, FIELD_CATEGORIES, { ...trainOptions, learner }) } : await trainExtractor(pages, FIELD_CATEGORIES, { ...trainOptions, learner });
      fitWall.get(learner)?.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      fitCpu.get(learner)?.push((c.user + c.system) / 1e6);
      extractors.push({ learner, extractor: loadExtractor(JSON.parse(JSON.stringify(trained.model))), score: emptyScore() });
    }
    for (const r of test) {
      const page = pageOf(r.id);
      const tokens = pageTokens(page);
      for (const { learner, extractor, score } of extractors) {
        const t1 = performance.now();
        const found = extractor.predict(pageTokens(page), page.width, page.height);
        predictMs.get(learner)?.push(performance.now() - t1);
        const fields: Fields = {};
        for (const f of FIELDS) {
          const best = found.filter((x) => x.category === f).sort((a, b) => b.score - a.score)[0];
          if (best) {
            fields[f] = best.text.replace(/\n/g, ' ');
            answers.get(learner)?.push([best.score, !!r.key[f] && same(f, fields[f], r.key[f])]);
          }
        }
        addScore(learned.get(learner) as Score, fields, r.key);
        // The same learner answering every category however low its best score, to see what the threshold costs in recall.
        const always: Fields = {};
        for (const x of extractor.predict(tokens, page.width, page.height, { minScore: 0 })) if (!always[x.category as Field]) always[x.category as Field] = x.text.replace(/\n/g, ' ');
        addScore(answeringAll.get(learner) as Score, always, r.key);
        addScore(score, fields, r.key);
      }
      const lines = pageToText(page).split('\n').map((l) => l.trim()).filter(Boolean);
      addScore(floor, keywordExtractor(lines), r.key);
      const reachable: Fields = {};
      const inText: Fields = {};
      const flat = tokens.map((t) => t.text).join(' ');
      for (const f of FIELDS) {
        const truth = r.key[f];
        if (!truth) continue;
        if (spanCeiling(tokens, f, truth)) reachable[f] = truth;
        const needle = f === 'date' ? truth.replace(/\D/g, '') : f === 'total' ? truth.replace(/[^\d.]/g, '') : truth.toUpperCase().replace(/[^A-Z0-9]/g, '');
        const hay = f === 'date' ? flat.replace(/\D/g, '') : f === 'total' ? flat.replace(/[^\d.]/g, '') : flat.toUpperCase().replace(/[^A-Z0-9]/g, '');
        if (needle && hay.includes(needle)) inText[f] = truth;
      }
      addScore(ceiling.span, reachable, r.key);
      const spanModel = extractors.find((e) => e.extractor.model.format === 'folio-fields-spans/1')?.extractor.model;
      if (spanModel?.format === 'folio-fields-spans/1') {
        const inCandidates: Fields = {};
        const texts = candidateSpans(tokens, spanModel.limits).map((c) => c.tokens.map((i) => tokens[i]?.text ?? '').join(' '));
        for (const f of FIELDS) {
          const truth = r.key[f];
          if (truth && texts.some((t, ci) => same(f, trimToShape(t, spanModel.trimShapes[FIELDS.indexOf(f)] ?? []), truth) && ci >= 0)) inCandidates[f] = truth;
        }
        addScore(ceiling.candidates, inCandidates, r.key);
      }
      addScore(ceiling.text, inText, r.key);
    }
    perSplit.push(`split ${split}: ${pages.length} training pages; ${extractors.map((e) => `${e.learner} micro F1 ${microF1(e.score).toFixed(3)}`).join(', ')}`);
    console.error(perSplit[perSplit.length - 1]);
  }
  const recallOf = (s: ReturnType<typeof emptyScore>) => FIELDS.map((f) => `${f} ${(s.tp[f] / Math.max(1, s.truth[f])).toFixed(3)}`).join(', ');
  console.log(`\n### N = ${n} training receipts, ${values.splits} splits, extractor alone on cached OCR\n`);
  console.log(`OCR ceiling (share of held-out truths that are a span of the words, ≤ 8 lines): ${recallOf(ceiling.span)}; micro ${microF1(ceiling.span).toFixed(3)}`);
  console.log(`Truth among the span ranker's candidates (after trimming to learned shapes): ${recallOf(ceiling.candidates)}; micro ${microF1(ceiling.candidates).toFixed(3)}`);
  console.log(`Truth anywhere in the page's text (even inside longer words): ${recallOf(ceiling.text)}; micro ${microF1(ceiling.text).toFixed(3)}\n`);
  for (const l of learners) {
    console.log(scoreTable(`learned: ${l}`, learned.get(l) as Score));
    console.log('');
    console.log(scoreTable(`learned: ${l}, answering every category (no least score)`, answeringAll.get(l) as Score));
    console.log('');
  }
  console.log(scoreTable('keyword + regex floor', floor));
  console.log(`\n${perSplit.join('\n')}`);
  for (const l of learners) {
    const ms = predictMs.get(l) as number[];
    console.log(`${l}: ${calibrationLine(answers.get(l) ?? [])}`);
    console.log(`${l}: fit (validation fit + final fit) ${fitWall.get(l)?.map((s) => s.toFixed(1)).join(', ')} s wall, ${fitCpu.get(l)?.map((s) => s.toFixed(1)).join(', ')} CPU s; prediction p50 ${percentile(ms, 50).toFixed(1)} ms, p90 ${percentile(ms, 90).toFixed(1)} ms per page`);
  }
}
console.log(`load average at end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
