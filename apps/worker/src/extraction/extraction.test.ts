import { describe, expect, it } from 'vitest';
import { alignAnnotations } from './extraction.align.ts';
import { calibrationMaps } from './extraction.evaluate.ts';
import { calibrated, seeded } from './extraction.values.ts';
import { candidateSpans, spanText } from './extraction.candidates.ts';
import { fitExtractor, loadExtractor, trimToShape, valueShape, type LabelledPage } from './extraction.model.ts';
import { parseExtractorModel } from './extraction.model.schema.ts';
import { pageContext } from './extraction.features.ts';
import { regionFeatures } from './extraction.region-features.ts';
import { BOUNDARY_FEATURES, boundaryFeatures } from './extraction.boundary-features.ts';
import { negativeSpans } from './extraction.negatives.ts';
import { learnValueShapes, NUMBER_FEATURES, SHAPE_FEATURES, shapeFeatures } from './extraction.value-shapes.ts';
import { bracketParts, normalizeText, pageTokens, type Token } from './extraction.tokens.ts';
import { learnValueMemory, MEMORY_FEATURES, memoryFeatures } from './extraction.value-memory.ts';
import { compileTrees, fitTrees } from './extraction.trees.ts';
import type { OcrPage } from '@folio/ocr';

/** Words of one line at y, 100 px per word. */
function line(texts: string[], lineNo: number, y: number): Token[] {
  return texts.map((text, index) => ({ text, norm: normalizeText(text), box: { xmin: index * 100, ymin: y, xmax: index * 100 + 90, ymax: y + 20 }, line: lineNo, index, confidence: 0.9 }));
}

describe('field extraction', () => {
  const tokens = [...line(['ACME', 'PARCEL', 'LTD'], 0, 0), ...line(['DATE:', '19/10/2018', '20:49'], 1, 40), ...line(['TOTAL', '60.30'], 2, 80)];

  it('aligns a loose whole-line box to the words its ocr_text names', () => {
    const a = alignAnnotations(
      tokens,
      [
        { name: 'date', ocrText: '19/10/2018', box: { xmin: 0, ymin: 38, xmax: 300, ymax: 62 } },
        { name: 'sender', ocrText: '', box: { xmin: 0, ymin: 0, xmax: 290, ymax: 20 } },
        { name: 'total', ocrText: '99.99', box: { xmin: 500, ymin: 500, xmax: 600, ymax: 520 } },
      ],
      ['sender', 'date', 'total'],
    );
    expect(tokens.filter((_, i) => a.labels[i] === 2).map((t) => t.text)).toEqual(['19/10/2018']);
    expect(tokens.filter((_, i) => a.labels[i] === 1).map((t) => t.text)).toEqual(['ACME', 'PARCEL', 'LTD']);
    // A box over nothing is reported, not learned from.
    expect(a.unmatched.map((u) => u.name)).toEqual(['total']);
    expect(a.values.map((v) => v.category)).toEqual([2, 1]);
  });

  it('refuses an alignment that does not resemble ocr_text', () => {
    const a = alignAnnotations(tokens, [{ name: 'total', ocrText: 'XYZXYZXYZ', box: { xmin: 0, ymin: 78, xmax: 200, ymax: 100 } }], ['total']);
    expect(a.labels.every((l) => l === 0)).toBe(true);
    expect(a.unmatched).toHaveLength(1);
  });

  it('cuts a value the engine glued to its neighbour to the shape annotated values have', () => {
    const shapes = [valueShape('10 MAR 2018'), valueShape('19/10/2018')];
    expect(trimToShape('10Mar201818:24', shapes)).toBe('10Mar2018');
    expect(trimToShape(': 09/06/201812:17:20PM', shapes)).toBe('09/06/2018');
    expect(trimToShape('19/10/2018', shapes)).toBe('19/10/2018');
    expect(trimToShape('no date here', shapes)).toBe('no date here');
    expect(trimToShape('10Mar2018', [])).toBe('10Mar2018');
  });

  it('calibrates scores to the rate at which they were right, never falling as scores rise', () => {
    const outcomes: Array<[number, boolean]> = [];
    for (let i = 0; i < 100; i++) outcomes.push([i / 100, i % 10 < Math.floor(i / 10)]);
    // No pull towards the raw scores: the steps are the held-back rates themselves (bins of 10).
    const steps = calibrationMaps([outcomes], 0)[0]!;
    expect(steps.length).toBeGreaterThan(3);
    for (let i = 1; i < steps.length; i++) expect(steps[i]![1]).toBeGreaterThanOrEqual(steps[i - 1]![1]);
    expect(steps[0]![1]).toBeLessThan(0.2);
    expect(steps[steps.length - 1]![1]).toBeGreaterThan(0.8);
  });

  it('calibrates every category with one map from all their held-back answers, drawn towards the raw scores where answers are few', () => {
    // Raw 0.95 right half the time, 200 times (two categories); a third category never answered.
    const half = (n: number): Array<[number, boolean]> => Array.from({ length: n }, (_, i) => [0.9 + (i % 10) / 100, i % 2 === 0]);
    const maps = calibrationMaps([half(100), half(100), []]);
    expect(maps).toHaveLength(3);
    for (const map of maps) {
      expect(map).toEqual(maps[0]);
      for (let i = 1; i < map.length; i++) expect(map[i]![1]).toBeGreaterThanOrEqual(map[i - 1]![1]);
    }
    // Many answers move a raw 0.95 to near the rate it was right at.
    expect(calibrated(maps[0]!, 0.95)).toBeLessThan(0.7);
    expect(calibrated(maps[0]!, 0.95)).toBeGreaterThan(0.5);
    // Four answers, all right, cannot say "always right"; below them the raw score mostly stands.
    const few = calibrationMaps([[[0.9, true], [0.92, true], [0.95, true], [0.97, true]]])[0]!;
    expect(calibrated(few, 0.95)).toBeLessThan(1);
    expect(calibrated(few, 0.95)).toBeGreaterThan(0.9);
    // No answers at all: scores stay raw.
    expect(calibrationMaps([[], []])).toEqual([[], []]);
  });

  it('describes candidates by how much they look like each category\'s values, learned from those values', () => {
    const shapes = learnValueShapes([['19/10/2018', '02/01/2019', '5/3/2018'], ['12.50', '3.20']]);
    const page = [
      { text: '19/11/2018', line: 1 },
      { text: 'ACME', line: 0 },
      { text: '60.30', line: 3 },
      { text: '2.10', line: 2 },
    ];
    const rows = shapeFeatures(page, page, shapes);
    // After the number features (rank among same-shaped numbers, largest, repeats): 7 per category.
    const of = (row: number, category: number) => rows[row]!.slice(NUMBER_FEATURES + category * SHAPE_FEATURES, NUMBER_FEATURES + (category + 1) * SHAPE_FEATURES);
    expect(of(0, 0)[0]).toBe(1); // every date value has the shape 9/9/9
    expect(of(0, 0)[4]).toBe(1); // and it is the page's only candidate with it
    expect(of(1, 0)[0]).toBe(0);
    expect(of(2, 1)[0]).toBe(1);
    expect(rows[2]!.slice(0, NUMBER_FEATURES)).toEqual([0, 1, 0]); // 60.30: the largest of the 9.9 numbers
    expect(rows[3]![1]).toBe(0);
    expect(of(2, 1)[6]).toBe(1); // the last amount-shaped candidate on the page
  });

  it('boosted trees learn classes no single feature separates, and a stored span model must hold its scorer', async () => {
    // Class 1 where exactly one of two features is high, class 2 where both are, none elsewhere;
    // a third feature is noise.
    const rand = seeded(5);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 600; i++) {
      const a = rand() > 0.5 ? 1 : 0;
      const b = rand() > 0.5 ? 1 : 0;
      x.push([a + rand() * 0.3, b + rand() * 0.3, rand()]);
      y.push(a + b === 1 ? 1 : a + b === 2 ? 2 : 0);
    }
    const predict = compileTrees(JSON.parse(JSON.stringify(await fitTrees(x, y, 3, { rounds: 40, depth: 3 }))));
    const probs = predict([[1.1, 0.1, 0.5], [0.1, 1.2, 0.5], [1.2, 1.1, 0.5], [0.1, 0.2, 0.5]]);
    expect(probs.map((p) => p.indexOf(Math.max(...p)))).toEqual([1, 1, 2, 0]);
    for (const p of probs) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const bare = { format: 'folio-fields-spans/1', categories: ['a'], vocabulary: [], multiLine: [false], multiValued: [false], trimShapes: [[]], calibration: [[]], limits: { maxWords: 3, maxLines: 1 } };
    expect(() => parseExtractorModel(bare)).toThrow(/trees or its network/);
  });

  it('remembers the values each category held and tells how near a candidate is to the nearest, misread letters and all', () => {
    const memory = learnValueMemory([['Northwind Goods (M) Ltd', 'KESTREL WORKS'], ['12.50']]);
    expect(memory[0]!.values).toEqual(['NORTHWINDGOODSMLTD', 'KESTRELWORKS']);
    const rows = memoryFeatures(['NORTHWIND GOODS (M) LTD.', 'N0RTHWIND GOODS (M) LTD', 'PARCEL SLIP', '12.50', ''], memory);
    expect(rows.every((r) => r.length === 2 * MEMORY_FEATURES)).toBe(true);
    expect(rows[0]!.slice(0, 2)).toEqual([1, 1]); // the same letters and digits: equal
    expect(rows[1]![0]).toBeGreaterThan(0.7); // one misread letter costs a few 3-grams, not the match
    expect(rows[1]![1]).toBe(0);
    expect(rows[2]![0]).toBeLessThan(0.2);
    expect(rows[3]!.slice(2)).toEqual([1, 1]);
    expect(rows[4]).toEqual([0, 0, 0, 0]);
  });

  it('cuts words where a bracket meets text, each part with its share of the box, joined again without a space', () => {
    expect(bracketParts('BAKERIES(KL)SDN').map((p) => p.text)).toEqual(['BAKERIES', '(KL)', 'SDN']);
    expect(bracketParts('BHD(139386').map((p) => p.text)).toEqual(['BHD', '(139386']);
    expect(bracketParts('(KL)').map((p) => p.text)).toEqual(['(KL)']);
    expect(bracketParts('X)').map((p) => p.text)).toEqual(['X)']);
    const quad = (x0: number, x1: number) => [[x0, 0], [x1, 0], [x1, 20], [x0, 20]] as [number, number][];
    const page = { blocks: [{ lines: [{ text: 'SDN BHD(1234)', words: [{ text: 'SDN', confidence: 0.9, quad: quad(0, 30) }, { text: 'BHD(1234)', confidence: 0.9, quad: quad(40, 130) }] }] }] } as unknown as OcrPage;
    const tokens = pageTokens(page);
    expect(tokens.map((t) => [t.text, t.box.xmin, t.box.xmax, t.index, t.glued ?? false])).toEqual([
      ['SDN', 0, 30, 0, false],
      ['BHD', 40, 70, 1, false],
      ['(1234)', 70, 130, 2, true],
    ]);
    const spans = candidateSpans(tokens, { maxWords: 3, maxLines: 1 });
    expect(spans.map((s) => spanText(tokens, s))).toContain('SDN BHD');
    expect(spans.map((s) => spanText(tokens, s))).toContain('BHD(1234)');
  });

  it('offers every run of words within a line, and whole-line runs only when values span lines', () => {
    const texts = (limits: { maxWords: number; maxLines: number }) => candidateSpans(tokens, limits).map((c) => c.tokens.map((i) => tokens[i]!.text).join(' '));
    const single = texts({ maxWords: 2, maxLines: 1 });
    expect(single).toEqual(expect.arrayContaining(['ACME', 'ACME PARCEL', 'PARCEL LTD', '19/10/2018', 'TOTAL 60.30']));
    expect(single).not.toContain('ACME PARCEL LTD');
    expect(single.every((t) => !t.includes('LTD DATE:'))).toBe(true);
    const multi = texts({ maxWords: 3, maxLines: 2 });
    expect(multi).toContain('ACME PARCEL LTD DATE: 19/10/2018 20:49');
    expect(multi).not.toContain('ACME PARCEL LTD DATE: 19/10/2018 20:49 TOTAL 60.30');
  });

  it('places a candidate among the page\'s lines by size, lettered lines and blocks before it', () => {
    // A small number line, then a heading twice the usual height, then a block after a wide gap.
    const page = [
      ...line(['0042'], 0, 0),
      ...line(['ACME', 'PARCEL'], 1, 30).map((t) => ({ ...t, box: { ...t.box, ymax: t.box.ymin + 40 } })),
      ...line(['TOTAL', '60.30'], 2, 200),
    ];
    const spans = candidateSpans(page, { maxWords: 2, maxLines: 1 });
    const rows = regionFeatures(pageContext(page, 800, 300), spans);
    const of = (text: string) => rows[spans.findIndex((s) => s.tokens.map((i) => page[i]!.text).join(' ') === text)]!;
    // [size rank, largest, height / largest, as large above, lettered before, none lettered before, blocks before, first block, from largest]
    expect(of('ACME PARCEL').slice(0, 3)).toEqual([0, 1, 1]);
    expect(of('ACME')[5]).toBe(1); // the number line above holds no letters
    expect(of('ACME')[7]).toBe(1);
    expect(of('TOTAL')[1]).toBe(0);
    expect(of('TOTAL')[3]).toBe(0.4); // both lines above are at least as large
    expect(of('TOTAL')[6]).toBe(0.2); // after one wide gap
    expect(of('TOTAL')[8]).toBe(0.2);
  });

  it('tells a whole printed block of lines from one cut short or run too far, by gaps, sizes and alignment', () => {
    // A large heading, a wide gap, a two-line block set 40 px in, a narrow gap, a line at the left edge.
    const at = (texts: string[], lineNo: number, y: number, x: number, height = 20) =>
      line(texts, lineNo, y).map((t) => ({ ...t, box: { xmin: t.box.xmin + x, ymin: y, xmax: t.box.xmax + x, ymax: y + height } }));
    const page = [...at(['ACME'], 0, 0, 0, 40), ...at(['12', 'HARBOR', 'ROAD'], 1, 100, 40), ...at(['OSLO', '1000'], 2, 125, 40), ...at(['TOTAL', '60.30'], 3, 150, 0)];
    const spans = candidateSpans(page, { maxWords: 3, maxLines: 3 });
    const rows = boundaryFeatures(pageContext(page, 800, 200), spans);
    const of = (first: number, last: number) => rows[spans.findIndex((s) => s.firstLine === first && s.lastLine === last && s.tokens.length === page.filter((t) => t.line >= first && t.line <= last).length)]!;
    expect(rows.every((r) => r.length === BOUNDARY_FEATURES)).toBe(true);
    // [gap above, gap below, widest gap inside, above − inside, below − inside, height like above, like below, heights alike, left spread, centre spread, offset from above, from below]
    const block = of(1, 2);
    const tooLong = of(1, 3);
    const tooShort = of(1, 1);
    expect(block[0]).toBe(0.75); // 60 px below the heading: 3 median heights of 4 at most
    expect(block[3]).toBeGreaterThan(0); // its gap above is wider than any inside it
    expect(block[7]).toBe(1);
    expect(block[8]).toBe(0); // both lines start at the same left edge
    expect(tooLong[8]).toBeGreaterThan(0); // the extra line starts elsewhere
    expect(tooShort[6]).toBe(1); // the line below it is the same size: the block goes on
    expect(block[5]).toBe(0.5); // the heading above is twice as tall
  });

  it('teaches every run of whole lines one line longer or shorter than a multi-line value, and the rest only up to their budgets', () => {
    const page = [...line(['PARCEL', 'SLIP'], 0, 0), ...line(['12', 'HARBOR', 'ROAD'], 1, 40), ...line(['OSLO', '1000'], 2, 80), ...line(['TEL', '555'], 3, 120), ...line(['THANK', 'YOU'], 4, 160)];
    const address = { span: { tokens: [2, 3, 4, 5, 6], firstLine: 1, lastLine: 2 }, category: 1 };
    const all = candidateSpans(page, { maxWords: 3, maxLines: 3 });
    const lines = (spans: ReturnType<typeof negativeSpans>) => spans.filter((s) => s.lastLine > s.firstLine).map((s) => `${s.firstLine}-${s.lastLine}`).sort();
    const taught = negativeSpans(page, [address], all, { hard: 0, easy: 0, twins: true }, seeded(1));
    // Every whole-line run overlapping the address, never the address itself.
    expect(lines(taught)).toEqual(['0-1', '0-2', '1-3', '2-3', '2-4']);
    expect(taught).toHaveLength(5);
    // Without twins they are drawn among the hard negatives like any overlapping run.
    expect(negativeSpans(page, [address], all, { hard: 0, easy: 0, twins: false }, seeded(1))).toHaveLength(0);
    const drawn = negativeSpans(page, [address], all, { hard: 3, easy: 2, twins: false }, seeded(1));
    expect(drawn).toHaveLength(5);
    expect(drawn.some((s) => s.tokens.join() === address.span.tokens.join())).toBe(false);
  });

  it('the span ranker learns a generated document type and reads pages it never saw', async () => {
    // Parcel slips: a sender (two words), a multi-line return address and a weight, among
    // distractor lines whose order changes, so neither place nor line index alone names a field.
    const rand = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const slip = (seed: number): LabelledPage & { truth: Record<string, string> } => {
      const r = rand(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
      const sender = `${pick(['NORTHWIND', 'KESTREL', 'ORCHARD', 'GRANITE', 'PALOMA'])} ${pick(['GOODS', 'WORKS', 'TRADING'])}`;
      const street = `${10 + Math.floor(r() * 80)} ${pick(['HARBOR', 'CEDAR', 'FJORD'])} ROAD`;
      const city = `${pick(['OSLO', 'LYON', 'PORTO'])} ${1000 + Math.floor(r() * 8000)}`;
      const weight = `${1 + Math.floor(r() * 30)}.${Math.floor(r() * 10)}`;
      const middle: Array<[string[], number]> = [
        [['SENDER', ...sender.split(' ')], 1],
        [['WEIGHT', weight, 'KG'], 3],
        [['ORDER', String(100000 + Math.floor(r() * 800000))], 0],
        [['REF', `${Math.floor(r() * 99)}.${Math.floor(r() * 10)}`], 0],
      ];
      for (let i = middle.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [middle[i], middle[j]] = [middle[j]!, middle[i]!];
      }
      const rows: Array<[string[], number]> = [[['PARCEL', 'SLIP'], 0], ...middle, [['RETURN', 'TO'], 0], [street.split(' '), 2], [city.split(' '), 2], [['THANK', 'YOU'], 0]];
      const toks: Token[] = [];
      const labels: number[] = [];
      rows.forEach(([words, category], lineNo) => {
        for (const t of line(words, lineNo, lineNo * 40)) {
          toks.push(t);
          // Keywords (SENDER, WEIGHT, KG) are not part of the values.
          labels.push(category === 1 && t.index === 0 ? 0 : category === 3 && t.index !== 1 ? 0 : category);
        }
      });
      return { tokens: toks, width: 800, height: rows.length * 40, labels, truth: { sender, address: `${street} ${city}`, weight } };
    };
    const train = Array.from({ length: 24 }, (_, i) => slip(100 + i));
    // Through JSON and the stored-version schema, as the worker loads it.
    const stored = JSON.parse(JSON.stringify(await fitExtractor(train, ['sender', 'address', 'weight'], { seed: 3, epochs: 30 })));
    const extractor = loadExtractor(parseExtractorModel(stored));
    expect(extractor.model).toEqual(stored);
    expect(extractor.model.format).toBe('folio-fields-spans/1');
    let right = 0;
    let total = 0;
    for (let i = 0; i < 6; i++) {
      const page = slip(900 + i);
      const found = extractor.predict(page.tokens, page.width, page.height);
      for (const [name, value] of Object.entries(page.truth)) {
        total++;
        if (found.find((f) => f.category === name)?.text.replace(/\n/g, ' ') === value) right++;
      }
      for (const f of found) expect(f.score).toBeGreaterThanOrEqual(0);
    }
    expect(right / total).toBeGreaterThanOrEqual(0.9);
  }, 240_000);
});
