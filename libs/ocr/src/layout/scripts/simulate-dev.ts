/**
 * Reading-order check without the models: builds detector-like lines from the dev set's ground-truth
 * boxes (word boxes chained into line boxes the way a DB detector joins them), shuffles them, runs
 * layoutPage, and writes hypotheses for score.py. Also writes the naive "sort boxes by y" order.
 *
 *   npx tsx libs/ocr/src/layout/scripts/simulate-dev.ts [/work/shared/eval] [/tmp/layout-sim]
 *   python3 /work/shared/eval/score.py --hyp-dir /tmp/layout-sim/layout
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Line, Quad, Word } from '../../page.ts';
import { aggregate } from '../aggregate.ts';
import { layoutPage } from '../index.ts';

const corpus = process.argv[2] ?? '/work/shared/eval';
const outDir = process.argv[3] ?? '/tmp/layout-sim';

interface GtBox {
  text: string;
  box: [number, number, number, number];
}

const quad = (x0: number, y0: number, x1: number, y1: number): Quad => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

/** Words of a segment box, placed by character share. */
function splitSegment(g: GtBox): Word[] {
  const [x0, y0, x1, y1] = g.box;
  const parts = g.text.split(/\s+/).filter(Boolean);
  const total = g.text.length || 1;
  let at = 0;
  return parts.map((t) => {
    const i = g.text.indexOf(t, at);
    const a = x0 + ((x1 - x0) * i) / total;
    const b = x0 + ((x1 - x0) * (i + t.length)) / total;
    at = i + t.length;
    return { text: t, confidence: 0.9, quad: quad(a, y0, b, y1) };
  });
}

function lineOf(words: Word[], pad: number): Line {
  const xs = words.flatMap((w) => w.quad.map((p) => p[0]));
  const ys = words.flatMap((w) => w.quad.map((p) => p[1]));
  return {
    text: words.map((w) => w.text).join(' '),
    confidence: 0.9,
    words,
    quad: quad(Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad),
  };
}

/** Chains word boxes on one row with gaps under half a height, as a detector would. */
function wordsToLines(gt: GtBox[]): Line[] {
  const words = gt.map((g) => ({ text: g.text, confidence: 0.9, quad: quad(...g.box) }) as Word);
  const hs = gt.map((g) => g.box[3] - g.box[1]).sort((a, b) => a - b);
  const h = hs[hs.length >> 1] ?? 10;
  const sorted = [...words].sort((a, b) => a.quad[0][1] + a.quad[2][1] - (b.quad[0][1] + b.quad[2][1]));
  const rows: Word[][] = [];
  for (const w of sorted) {
    const [wy0, wy1] = [w.quad[0][1], w.quad[2][1]];
    const row = rows.find((r) => {
      const y0 = Math.max(...r.map((x) => x.quad[0][1]).concat(wy0));
      const y1 = Math.min(...r.map((x) => x.quad[2][1]).concat(wy1));
      return y1 - y0 >= 0.5 * Math.min(wy1 - wy0, h);
    });
    if (row) row.push(w);
    else rows.push([w]);
  }
  const lines: Line[] = [];
  for (const r of rows) {
    r.sort((a, b) => a.quad[0][0] - b.quad[0][0]);
    let cur: Word[] = [];
    for (const w of r) {
      const prev = cur[cur.length - 1];
      if (prev && w.quad[0][0] - prev.quad[1][0] > 0.5 * h) {
        lines.push(lineOf(cur, 0.15 * h));
        cur = [];
      }
      cur.push(w);
    }
    if (cur.length) lines.push(lineOf(cur, 0.15 * h));
  }
  return lines;
}

function shuffle<T>(a: T[], seed: number): T[] {
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

let totalMs = 0;
for (const source of readdirSync(join(corpus, 'dev'))) {
  const dir = join(corpus, 'dev', source);
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.gt.json'))) {
    const unit = f.replace(/\.gt\.json$/, '');
    const gt = JSON.parse(readFileSync(join(dir, f), 'utf8')) as GtBox[];
    const segments = source === 'sroie';
    const lines = segments ? gt.map((g) => lineOf(splitSegment(g), 0)) : wordsToLines(gt);
    const width = Math.max(...gt.map((g) => g.box[2]), 1);
    const height = Math.max(...gt.map((g) => g.box[3]), 1);
    const t0 = performance.now();
    const blocks = layoutPage(shuffle([...lines], 7), { width, height });
    totalMs += performance.now() - t0;
    const text = aggregate({ blocks }, 'paragraph').map((e) => e.text).join('\n');
    const naive = [...lines].sort((a, b) => a.quad[0][1] - b.quad[0][1]).map((l) => l.text).join('\n');
    for (const [kind, body] of [['layout', text], ['naive', naive]] as const) {
      mkdirSync(join(outDir, kind, 'dev', source), { recursive: true });
      writeFileSync(join(outDir, kind, 'dev', source, `${unit}.txt`), body + '\n');
    }
  }
}
console.log(`layoutPage total ${totalMs.toFixed(0)} ms`);
