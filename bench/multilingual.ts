/**
 * European text on generated pages: recall of non-ASCII characters (accents, ß, €, « » ’ –) and
 * CER, Folio with the trained Latin head against the recognizer's original classifier and Tesseract.
 *
 *   npm run bench:multilingual -- [--pages 6] [--seed 9001] [--threads 1] [--engines head,gated,original,tesseract] [--out bench/out/multilingual]
 *                                 [--gate-threshold 0.7]   (gated: the engine's latinGateThreshold; default the engine's own)
 *
 * Pages are written from held-out words of the Debian word lists (the hash split of
 * libs/ocr/scripts/latin-head/latin.text.ts: none was in training) with another seed than training,
 * in the training fonts and three fonts the head never saw, at several sizes, then degraded like a
 * scan (blur, grain, JPEG). Each page goes to <out>/page-N.png so every engine reads the same pixels.
 * Needs the word lists (apt-get install wfrench wngerman wdutch wspanish wportuguese witalian wamerican)
 * and tesseract-ocr tesseract-ocr-eng.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { createOcrEngine, pageToText, type Raster } from '@folio/ocr';
import { HELD_OUT_FONTS, TRAIN_FONTS, cssFont, randomStyle, scanNoise } from '../libs/ocr/scripts/latin-head/latin.render.ts';
import { loadWords, prng, textLine } from '../libs/ocr/scripts/latin-head/latin.text.ts';
import { charErrorRate, nonAsciiRecall, pooledRecall, type CharRecall } from './lib/char-recall.ts';
import { requireCommands, runMeasured } from './lib/measure.ts';
import { fmt, formatTable } from './lib/table.ts';
import { tesseractEnv } from './lib/tesseract.runner.ts';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '6' },
    seed: { type: 'string', default: '9001' },
    threads: { type: 'string', default: '1' },
    engines: { type: 'string', default: 'head,gated,original,tesseract' },
    'gate-threshold': { type: 'string' },
    out: { type: 'string', default: path.join(path.dirname(fileURLToPath(import.meta.url)), 'out', 'multilingual') },
  },
});

/** One page (half A4 at 300 dpi) of held-out European lines; its truth is the lines in order. */
async function makePage(seed: number, pool: ReturnType<typeof loadWords>): Promise<{ png: Buffer; raster: Raster; truth: string }> {
  const r = prng(seed);
  const width = 2480;
  const height = 1754;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const paper = 225 + r() * 30;
  ctx.fillStyle = `rgb(${paper},${paper},${paper - 8})`;
  ctx.fillRect(0, 0, width, height);
  if (r() < 0.5) ctx.filter = `blur(${0.4 + r() * 0.6}px)`;
  const fonts = [...TRAIN_FONTS, ...HELD_OUT_FONTS, ...HELD_OUT_FONTS];
  const lines: string[] = [];
  let y = 150;
  for (;;) {
    const style = { ...randomStyle(r, fonts), size: 34 + Math.floor(r() * 30) };
    if (y + style.size * 1.6 > height - 100) break;
    const text = textLine(r, pool, 0.1);
    ctx.font = cssFont(style);
    if (ctx.measureText(text).width > width - 300) continue;
    const ink = r() * 70;
    ctx.fillStyle = `rgb(${ink},${ink},${ink})`;
    ctx.fillText(text, 150, y + style.size);
    lines.push(text);
    y += style.size * (1.5 + r() * 0.6);
  }
  const raster = await scanNoise(r, canvas);
  const out = createCanvas(width, height);
  const image = out.getContext('2d').createImageData(width, height);
  for (let i = 0, j = 0; j < raster.data.length; i += 4, j += 3) {
    image.data[i] = raster.data[j]!;
    image.data[i + 1] = raster.data[j + 1]!;
    image.data[i + 2] = raster.data[j + 2]!;
    image.data[i + 3] = 255;
  }
  out.getContext('2d').putImageData(image, 0, 0);
  // Synchronous: an async encode can outlive the last reference to `out` (skia then reads freed memory).
  return { png: out.encodeSync('png'), raster: { ...raster, dpi: 300 }, truth: lines.join('\n') };
}

interface Score {
  recall: CharRecall[];
  cer: number[];
  cerNocase: number[];
  seconds: number[];
}

const engines = values.engines.split(',').map((e) => e.trim());
const outDir = path.resolve(values.out);
mkdirSync(outDir, { recursive: true });
const pool = loadWords('heldout');
const pages: Array<{ file: string; raster: Raster; truth: string }> = [];
for (let i = 0; i < Number(values.pages); i++) {
  const { png, raster, truth } = await makePage(Number(values.seed) + i, pool);
  const file = path.join(outDir, `page-${i + 1}.png`);
  writeFileSync(file, png);
  writeFileSync(path.join(outDir, `page-${i + 1}.gt.txt`), `${truth}\n`);
  pages.push({ file, raster, truth });
}
const nonAscii = pages.reduce((a, p) => a + nonAsciiRecall(p.truth, p.truth).total, 0);
process.stderr.write(`${pages.length} pages, ${nonAscii} non-ASCII characters in the truth, in ${outDir}\n`);

const scores = new Map<string, Score>();
const score = (engine: string, truth: string, text: string, seconds: number) => {
  const s = scores.get(engine) ?? { recall: [], cer: [], cerNocase: [], seconds: [] };
  s.recall.push(nonAsciiRecall(truth, text));
  s.cer.push(charErrorRate(truth, text));
  s.cerNocase.push(charErrorRate(truth, text, true));
  s.seconds.push(seconds);
  scores.set(engine, s);
};

for (const name of ['head', 'gated', 'original'].filter((e) => engines.includes(e))) {
  const gateThreshold = values['gate-threshold'] === undefined ? {} : { latinGateThreshold: Number(values['gate-threshold']) };
  const engine = await createOcrEngine({ threads: Number(values.threads), latinHead: name === 'original' ? 'off' : (name as 'head' | 'gated'), ...gateThreshold });
  try {
    for (const p of pages) {
      const started = performance.now();
      const text = pageToText(await engine.recognize(p.raster));
      score(name, p.truth, text, (performance.now() - started) / 1000);
      writeFileSync(`${p.file}.${name}.txt`, text);
    }
  } finally {
    await engine.close();
  }
}
if (engines.includes('tesseract')) {
  await requireCommands({ tesseract: 'tesseract-ocr tesseract-ocr-eng' });
  for (const p of pages) {
    const r = await runMeasured('tesseract', [p.file, '-', '-l', 'eng'], tesseractEnv());
    score('tesseract', p.truth, r.stdout, r.wall);
    writeFileSync(`${p.file}.tesseract.txt`, r.stdout);
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const label: Record<string, string> = { head: 'Folio, Latin head', gated: 'Folio, gated head', original: 'Folio, original classifier', tesseract: 'Tesseract 5 (-l eng)' };
const rows = [...scores].map(([e, s]) => [label[e] ?? e, fmt(pooledRecall(s.recall)), fmt(mean(s.cer)), fmt(mean(s.cerNocase)), fmt(mean(s.seconds), 2)]);
process.stdout.write(
  `\nmultilingual pages (${pages.length}, seed ${values.seed}, held-out words; CPU ${cpus()[0]?.model ?? 'unknown'}, ${values.threads} thread)\n` +
    `${formatTable(['engine', 'non-ASCII recall', 'CER', 'CER nocase', 's/page (wall)'], rows)}\n`,
);
