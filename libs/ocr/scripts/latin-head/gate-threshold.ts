/**
 * Chooses the gated decode's threshold (engine option `latinGateThreshold`) on generated pages of
 * TRAINING words (the hash split of latin.text.ts; bench:multilingual uses the held-out ones) in the
 * training fonts, with a seed of its own; no evaluation data. Every candidate reads the same pages;
 * the one with the lowest CER wins (ties: the higher threshold, the one that overrules the original
 * classifier less often).
 *
 *   npx tsx libs/ocr/scripts/latin-head/gate-threshold.ts [--pages 4] [--seed 7001] [--thresholds 0.5,0.7,0.8,0.9,0.95,0.98]
 *                                                         [--receipt-share 0.35]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createCanvas } from '@napi-rs/canvas';
import { charErrorRate, nonAsciiRecall, pooledRecall } from '../../../../bench/lib/char-recall.ts';
import { createOcrEngine } from '../../src/predictor.ts';
import { pageToText } from '../../src/format/page.format.ts';
import type { Raster } from '../../src/raster.ts';
import { TRAIN_FONTS, cssFont, randomStyle, receiptStyle, scanNoise } from './latin.render.ts';
import { loadWords, prng, receiptLine, textLine } from './latin.text.ts';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '4' },
    seed: { type: 'string', default: '7001' },
    threads: { type: 'string', default: '1' },
    thresholds: { type: 'string', default: '0.5,0.7,0.8,0.9,0.95,0.98' },
    'receipt-share': { type: 'string', default: '0.35' },
  },
});

/**
 * Half an A4 page at 300 dpi of training lines in training's mix (extract-features.ts): receipt-like
 * plain-ASCII lines in monospaced or sans faces, the rest 20% plain ASCII. Pages of mostly accented
 * lines chose a threshold that overruled the original too readily on ASCII receipts.
 */
async function makePage(seed: number, pool: ReturnType<typeof loadWords>): Promise<{ raster: Raster; truth: string }> {
  const r = prng(seed);
  const width = 2480;
  const height = 1754;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const paper = 225 + r() * 30;
  ctx.fillStyle = `rgb(${paper},${paper},${paper - 8})`;
  ctx.fillRect(0, 0, width, height);
  const lines: string[] = [];
  let y = 150;
  for (;;) {
    const receipt = r() < receiptShare;
    const style = { ...(receipt ? receiptStyle(r) : randomStyle(r, TRAIN_FONTS)), size: 34 + Math.floor(r() * 30) };
    if (y + style.size * 1.6 > height - 100) break;
    const text = receipt ? receiptLine(r, pool) : textLine(r, pool);
    ctx.font = cssFont(style);
    if (ctx.measureText(text).width > width - 300) continue;
    const ink = r() * 70;
    ctx.fillStyle = `rgb(${ink},${ink},${ink})`;
    ctx.fillText(text, 150, y + style.size);
    lines.push(text);
    y += style.size * (1.5 + r() * 0.6);
  }
  return { raster: { ...(await scanNoise(r, canvas)), dpi: 300 }, truth: lines.join('\n') };
}

const receiptShare = Number(values['receipt-share']);
const pool = loadWords('train');
const pages = await Promise.all(Array.from({ length: Number(values.pages) }, (_, i) => makePage(Number(values.seed) + i, pool)));
const rows: Array<{ threshold: number; cer: number; recall: number }> = [];
for (const threshold of values.thresholds.split(',').map(Number)) {
  const engine = await createOcrEngine({ threads: Number(values.threads), latinHead: 'gated', latinGateThreshold: threshold });
  try {
    const texts = [];
    for (const p of pages) texts.push(pageToText(await engine.recognize(p.raster)));
    const cer = texts.reduce((a, t, i) => a + charErrorRate(pages[i]!.truth, t), 0) / pages.length;
    const recall = pooledRecall(texts.map((t, i) => nonAsciiRecall(pages[i]!.truth, t)));
    rows.push({ threshold, cer, recall });
    process.stdout.write(`threshold ${threshold}: CER ${cer.toFixed(4)}, non-ASCII recall ${recall.toFixed(3)}\n`);
  } finally {
    await engine.close();
  }
}
const best = rows.reduce((a, b) => (b.cer < a.cer || (b.cer === a.cer && b.threshold > a.threshold) ? b : a));
process.stdout.write(`${pages.length} training pages (seed ${values.seed}), CPU ${cpus()[0]?.model ?? 'unknown'}: lowest CER at threshold ${best.threshold}\n`);
