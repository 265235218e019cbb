/**
 * The trained Latin head (prepare/heads/latin.*) on a generated page of European text, real models:
 * accents, €, « » and typographic quotes come out; the head is only swapped into the model file
 * it was trained on, and a prepared model with it is cached with its classes. Gated, beside the
 * original classifier, it adds accents and typographic punctuation while ASCII reads as the original does.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, pageToText, type OcrEngine } from '../src/index.ts';
import { defaultModelDir } from '../src/engine.options.ts';
import { calibrationFor } from '../src/prepare/calibration.store.ts';
import { int8WeightsForCpu } from '../src/prepare/cpu.flags.ts';
import { latinHead, HEAD_OUTPUT, type LatinHead } from '../src/prepare/latin.head.ts';
import { prepareModel } from '../src/prepare/model.load.ts';
import { transformModel } from '../src/prepare/model.prepare.ts';
import { parseOnnxModel } from '../src/prepare/onnx.model.ts';
import { modelDigest } from '../src/prepare/prepared-model.cache.ts';
import { cer, drawPage, type TextItem } from './synthetic.page.ts';

const PAGE: TextItem[] = [
  { text: 'Facture n° 2024-117 — Société Générale', x: 60, y: 90, size: 40, font: 'DejaVu Serif' },
  { text: 'Montant dû : 1.234,50 € (TVA comprise)', x: 60, y: 170, font: 'Liberation Sans' },
  { text: '« Où êtes-vous ? » demanda l’élève à Gaëtan.', x: 60, y: 240, font: 'DejaVu Sans' },
  { text: 'Größe der Straße: über 12 m² – schön', x: 60, y: 310, font: 'Noto Serif' },
  { text: 'El niño pidió jamón; cão preguiçoso', x: 60, y: 380, font: 'Liberation Serif' },
  { text: '“Total” 45,00 € – Ærø, Łódź, Dvořák', x: 60, y: 450, font: 'Noto Sans' },
  { text: 'Invoice total: $1,980.00 due 03/15/2025', x: 60, y: 520, font: 'DejaVu Sans' },
];

/** Share of the truth's non-ASCII characters found in the reading (bag of characters). */
function nonAsciiRecall(truth: string, read: string): number {
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const ch of s) if (ch.codePointAt(0)! > 0x7f && ch.trim()) m.set(ch, (m.get(ch) ?? 0) + 1);
    return m;
  };
  const want = count(truth);
  const got = count(read);
  let hit = 0;
  let total = 0;
  for (const [ch, n] of want) {
    total += n;
    hit += Math.min(n, got.get(ch) ?? 0);
  }
  return hit / total;
}

const page = drawPage(1500, 600, PAGE);
const truth = PAGE.map((l) => l.text).join('\n');
let engine: OcrEngine;
let original: OcrEngine;
let gated: OcrEngine;
beforeAll(async () => {
  [engine, original, gated] = await Promise.all([
    createOcrEngine({ threads: 1, latinHead: 'head' }),
    createOcrEngine({ threads: 1 }),
    createOcrEngine({ threads: 1, latinHead: 'gated' }),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([engine?.close(), original?.close(), gated?.close()]);
});

describe('Latin head', () => {
  it('reads accents, €, « » and typographic quotes that the original classifier drops', async () => {
    const [withHead, without] = await Promise.all([engine.recognize(page.raster), original.recognize(page.raster)]);
    const read = pageToText(withHead);
    const before = pageToText(without);
    for (const ch of ['€', 'é', 'è', 'ö', 'ü', 'ñ', 'ç', 'ã', 'ó', 'Ł', 'ß', '«', '»', '’'])
      expect(read, `${ch} missing from:\n${read}`).toContain(ch);
    // Measured 33 of 40 with the shipped head: à as â, ê as é, Où as Ou, one ß as Í, jamón as jamon,
    // ” as “, Ærø as Æro (known misses, listed in the head's README).
    expect(nonAsciiRecall(truth, read), read).toBeGreaterThanOrEqual(0.75);
    // The original classifier has no class for € ß ç ê ö ñ « –: the head is what reads them.
    expect(nonAsciiRecall(truth, before)).toBeLessThan(0.5);
    expect(cer(truth, read)).toBeLessThan(0.05);
    expect(cer(truth, read)).toBeLessThan(cer(truth, before));
    // ASCII lines read as before.
    expect(read).toContain('Invoice total: $1,980.00 due 03/15/2025');
  }, 120_000);
});

describe('gated Latin head', () => {
  it('adds accents and typographic punctuation to the original reading and leaves ASCII as it was', async () => {
    const [g, o] = await Promise.all([gated.recognize(page.raster), original.recognize(page.raster)]);
    const read = pageToText(g);
    const before = pageToText(o);
    // Measured: ê stays é, and one of the two – stays - (the head reads them as − minus, which the
    // gate takes over ASCII punctuation only where the head is sure).
    for (const ch of ['é', 'ö', 'ñ', 'ç', '€', '«', '»']) expect(read, `${ch} missing from:\n${read}`).toContain(ch);
    expect(nonAsciiRecall(truth, read)).toBeGreaterThan(nonAsciiRecall(truth, before) + 0.2);
    expect(cer(truth, read)).toBeLessThan(cer(truth, before));
    // The gate only swaps non-ASCII in: folded to ASCII, the two readings are the same text.
    const fold = (s: string) => s.normalize('NFD').replace(/[^\x00-\x7f]/g, '').replace(/\s+/g, ' ');
    expect(fold(read).length).toBeGreaterThan(0.9 * fold(before).length);
    expect(read).toContain('Invoice total: $1,980.00 due 03/15/2025');
  }, 120_000);
});

describe('clean capitals', () => {
  // Lines on which the head, alone or gated, read accents that are not there (TÓTAL, NÓ, SILVER ÓAK),
  // in the faces and size where it did; then an accented line in the same faces, whose accents stay
  // (the head reads few accents on capitals: É and À of ÉCOLE NATIONALE À PARIS mostly not).
  const CAPS = ['FROM SILVER OAK TRADING', 'NO SIGNATURE REQUIRED', 'GRAND TOTAL CASH CHANGE', 'BALANCE OWING ON ACCOUNT'];
  const FACES = ['DejaVu Sans', 'DejaVu Serif', 'Noto Serif'];
  const lines = (texts: string[]) => FACES.flatMap((font, f) => texts.map((text, i) => ({ text, font, size: 48, x: 40, y: 80 + (f * texts.length + i) * 86 })));
  const clean = drawPage(1300, 80 + 12 * 86, lines(CAPS));
  const accented = drawPage(1300, 80 + 3 * 86, lines(['Élève à Orléans']));

  it('invents no accents on clean capitals in either mode and keeps those of an accented line', async () => {
    for (const e of [engine, gated]) {
      const read = pageToText(await e.recognize(clean.raster));
      expect(read, read).toMatch(/^[\x00-\x7f]*$/);
      const withAccents = pageToText(await e.recognize(accented.raster));
      expect(nonAsciiRecall(FACES.map(() => 'Élève à Orléans').join('\n'), withAccents), withAccents).toBeGreaterThanOrEqual(0.5);
    }
  }, 120_000);
});

describe('head swap at preparation', () => {
  const recPath = path.join(defaultModelDir(), 'ch_PP-OCRv4_rec_infer.onnx');
  const log = () => undefined;

  it('applies to the model it was trained on, with its classes, also from the prepared-model cache', async () => {
    const head = latinHead()!;
    expect(head.classes[0]).toBe('');
    expect(head.classes).toEqual(expect.arrayContaining(['€', 'ß', 'Ç', 'ł', '«', '–', ' ']));
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'folio-latin-head-'));
    const first = await prepareModel(recPath, { rewrite: true, int8: false, latinHead: 'head', keepClasses: [0, 1, 2], cacheDir, log });
    const again = await prepareModel(recPath, { rewrite: true, int8: false, latinHead: 'head', keepClasses: [0, 1, 2], cacheDir, log });
    for (const m of [first, again]) {
      expect(m.latinHead).toBe(true);
      expect(m.prunedClasses).toBe(false);
      expect(m.classes).toEqual(head.classes);
    }
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
  }, 120_000);

  it('gated: the pruned classifier stays the first output, the head is a second one, also from the cache', async () => {
    const head = latinHead()!;
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'folio-latin-gate-'));
    const settings = { rewrite: true, int8: false, latinHead: 'gated' as const, keepClasses: [0, 1, 2], cacheDir, log };
    const first = await prepareModel(recPath, settings);
    const again = await prepareModel(recPath, settings);
    for (const m of [first, again]) {
      expect(m.latinGate).toBe(true);
      expect(m.latinHead).toBeFalsy();
      expect(m.prunedClasses).toBe(true);
      expect(m.classes).toBeUndefined();
      expect(m.gateClasses).toEqual(head.classes);
    }
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    const session = await ort.InferenceSession.create(first.bytes);
    try {
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', new Float32Array(3 * 48 * 64).fill(0.5), [1, 3, 48, 64]) });
      const [own, gate] = session.outputNames.map((n) => out[n]!);
      expect(session.outputNames).toHaveLength(2);
      expect(own!.dims[2]).toBe(3);
      expect(gate!.dims[2]).toBe(head.classes.length);
      expect(gate!.dims[1]).toBe(own!.dims[1]);
    } finally {
      await session.release();
    }
  }, 120_000);

  it('leaves another recognizer export alone: its own classes, pruned as asked', async () => {
    // Same graph, different file (an extra doc_string field): the head's digest no longer matches.
    const dir = mkdtempSync(path.join(tmpdir(), 'folio-foreign-rec-'));
    const foreign = path.join(dir, 'rec.onnx');
    const docString = Buffer.concat([Buffer.from([0x32, 7]), Buffer.from('foreign')]);
    writeFileSync(foreign, Buffer.concat([readFileSync(recPath), docString]));
    const m = await prepareModel(foreign, { rewrite: true, int8: false, latinHead: 'head', keepClasses: [0, 1, 2], cacheDir: false, log });
    expect(m.latinHead).toBeFalsy();
    expect(m.classes).toBeUndefined();
    expect(m.prunedClasses).toBe(true);
  }, 120_000);

  it('a head with extra features (the backbone output) computes exactly its formula, int8 and float, swapped and gated', async () => {
    const bytes = new Uint8Array(readFileSync(recPath));
    let seed = 3;
    const rand = (n: number, scale: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * scale);
    const [K, D, E, H] = [11, 120, 480, 8];
    const head: LatinHead = {
      modelSha256: modelDigest(bytes), features: 'transpose_51.tmp_0', dim: D, extra: 'p2o.AveragePool.1', extraDim: E, hidden: H,
      classes: Array.from({ length: K }, (_, i) => (i ? String.fromCharCode(64 + i) : '')), digest: 'test',
      w: { dims: [D, K], data: rand(D * K, 0.3) }, b: { dims: [K], data: rand(K, 1) },
      a: { dims: [D + E, H], data: rand((D + E) * H, 0.3) }, c: { dims: [H], data: rand(H, 0.5) }, bb: { dims: [H, K], data: rand(H * K, 1) },
    };
    const input = new ort.Tensor('float32', rand(2 * 3 * 48 * 96, 2), [2, 3, 48, 96]);
    for (const int8 of [false, true]) {
      const t = { rewrite: true, int8Ranges: int8 ? calibrationFor(bytes) : undefined, int8Weights: int8 ? int8WeightsForCpu() : undefined };
      const plain = parseOnnxModel(transformModel(bytes, t).bytes);
      plain.outputs.push(head.features, head.extra!);
      const s0 = await ort.InferenceSession.create(plain.encode(), { intraOpNumThreads: 1 });
      const o0 = await s0.run({ [s0.inputNames[0]!]: input });
      await s0.release();
      const f = o0[head.features]!.data as Float32Array;
      const ex = o0[head.extra!]!.data as Float32Array;
      const T = (o0[head.features]!.dims as number[])[1]!;
      const want: number[] = [];
      for (let n = 0; n < 2; n++) {
        for (let s = 0; s < T; s++) {
          const x = [...f.subarray((n * T + s) * D, (n * T + s + 1) * D), ...Array.from({ length: E }, (_, c) => ex[(n * E + c) * T + s]!)];
          const h = Array.from({ length: H }, (_, j) => Math.max(0, x.reduce((v, xd, d) => v + xd * head.a!.data[d * H + j]!, head.c!.data[j]!)));
          const logits = Array.from({ length: K }, (_, k) => x.slice(0, D).reduce((v, xd, d) => v + xd * head.w.data[d * K + k]!, head.b.data[k]!) + h.reduce((v, hj, j) => v + hj * head.bb!.data[j * K + k]!, 0));
          const top = Math.max(...logits);
          const z = logits.reduce((v, l) => v + Math.exp(l - top), 0);
          want.push(...logits.map((l) => Math.exp(l - top) / z));
        }
      }
      for (const latinGate of [false, true]) {
        const res = transformModel(bytes, { ...t, latinHead: head, latinGate });
        expect(latinGate ? res.latinGate : res.latinHead).toBe(true);
        const s1 = await ort.InferenceSession.create(res.bytes, { intraOpNumThreads: 1 });
        const o1 = await s1.run({ [s1.inputNames[0]!]: input });
        await s1.release();
        const got = o1[latinGate ? HEAD_OUTPUT : s1.outputNames[0]!]!.data as Float32Array;
        expect(got.length).toBe(want.length);
        expect(Math.max(...want.map((p, i) => Math.abs(p - got[i]!)))).toBeLessThan(1e-5);
      }
    }
  }, 120_000);
});
