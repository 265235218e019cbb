/**
 * Page orientation on the dev set: every dev image turned by 0, 90, 180 and 270 degrees (with
 * sharp), read by Folio. Checks that every turn is detected, that no upright page is reported
 * turned, and that a turned page reads as well as its upright self (bow F1 within 0.05).
 *
 *   npm run bench:orientation -- [--source funsd,sroie] [--limit N] [--threads 1] [--opts '{}'] [--corpus DIR]
 *
 * Prints one row per turn and the pages that fail a check, with the CPU named.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createOcrEngine, pageToText, type EngineOptions, type Raster, type Rotation } from '@folio/ocr';
import { defaultCorpus, findUnits, selectUnits } from './lib/eval-units.ts';
import { fmt, formatTable } from './lib/table.ts';

const { values } = parseArgs({
  options: {
    source: { type: 'string' },
    limit: { type: 'string' },
    threads: { type: 'string', default: '1' },
    opts: { type: 'string', default: '{}' },
    corpus: { type: 'string', default: defaultCorpus() },
  },
});

const TURNS: Rotation[] = [0, 90, 180, 270];
/** Most bow F1 a turned page may lose against its upright reading. */
const F1_SLACK = 0.05;

/** Bag-of-words F1 of lower-cased words, as the corpus's score.py computes it. */
function bowF1(ref: string, hyp: string): number {
  const words = (t: string) => t.normalize('NFC').toLowerCase().split(/\s+/).filter((w) => w !== '');
  const count = (ws: string[]) => ws.reduce((m, w) => m.set(w, (m.get(w) ?? 0) + 1), new Map<string, number>());
  const rw = words(ref);
  const hw = words(hyp);
  const rc = count(rw);
  let common = 0;
  for (const [w, n] of count(hw)) common += Math.min(n, rc.get(w) ?? 0);
  if (common === 0) return 0;
  const p = common / Math.max(1, hw.length);
  const r = common / Math.max(1, rw.length);
  return (2 * p * r) / (p + r);
}

async function turned(file: string, rotation: Rotation): Promise<Raster> {
  const { data, info } = await sharp(file).rotate(rotation).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as 1 | 3 | 4 };
}

function cpuName(): string {
  const flags = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1]?.split(/\s+/) ?? [];
    } catch {
      return [];
    }
  })();
  const simd = ['avx2', 'avx512f', 'avx512_vnni', 'avx_vnni'].filter((f) => flags.includes(f));
  return `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}${simd.length ? ` (${simd.join(', ')})` : ''}`;
}

const corpus = path.resolve(values.corpus);
const units = selectUnits(
  findUnits(corpus).filter((u) => u.kind === 'image'),
  values.source?.split(',').map((s) => s.trim()),
  values.limit === undefined ? undefined : Number(values.limit),
);
if (units.length === 0) throw new Error('no images selected');
const engine = await createOcrEngine({ threads: Number(values.threads), ...(JSON.parse(values.opts) as EngineOptions) });

interface Row {
  unit: string;
  turn: Rotation;
  reported: Rotation;
  f1: number;
  upright: number;
}
const rows: Row[] = [];
process.stderr.write(`${units.length} images × ${TURNS.length} turns on ${cpuName()}\n`);
try {
  for (const unit of units) {
    const truth = readFileSync(path.join(corpus, unit.set, unit.source, `${unit.unit}.gt.txt`), 'utf8');
    let upright = Number.NaN;
    for (const turn of TURNS) {
      const page = await engine.recognize(await turned(unit.file, turn));
      const f1 = bowF1(truth, pageToText(page));
      if (turn === 0) upright = f1;
      rows.push({ unit: `${unit.source}/${unit.unit}`, turn, reported: page.rotation, f1, upright });
      process.stderr.write(`  ${unit.source}/${unit.unit} turned ${turn}: read as ${page.rotation} (${page.orientation?.decidedBy ?? '?'}), bow F1 ${fmt(f1)}\n`);
    }
  }
} finally {
  await engine.close();
}

const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, x) => a + x, 0) / xs.length);
const table = TURNS.map((turn) => {
  const rs = rows.filter((r) => r.turn === turn);
  const detected = rs.filter((r) => r.reported === turn).length;
  const worse = rs.filter((r) => r.f1 < r.upright - F1_SLACK).length;
  return [`${turn}°`, String(rs.length), `${detected}/${rs.length}`, fmt(mean(rs.map((r) => r.f1))), fmt(Math.max(...rs.map((r) => r.upright - r.f1))), String(worse)];
});
process.stdout.write(`\nPage orientation, ${units.length} dev images, ${cpuName()}\n\n`);
process.stdout.write(`${formatTable(['turn', 'pages', 'turn detected', 'bow F1', 'worst loss vs upright', `pages losing > ${F1_SLACK}`], table)}\n`);
const uprightTurned = rows.filter((r) => r.turn === 0 && r.reported !== 0);
const failures = rows.filter((r) => r.reported !== r.turn || r.f1 < r.upright - F1_SLACK);
process.stdout.write(`\nupright pages reported turned: ${uprightTurned.length}\n`);
for (const r of failures) process.stdout.write(`  ${r.unit} turned ${r.turn}: read as ${r.reported}, bow F1 ${fmt(r.f1)} (upright ${fmt(r.upright)})\n`);
process.exitCode = failures.length === 0 ? 0 : 1;
