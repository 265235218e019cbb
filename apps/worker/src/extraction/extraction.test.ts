import { describe, expect, it } from 'vitest';
import { alignAnnotations } from './extraction.align.ts';
import { calibrationSteps } from './extraction.evaluate.ts';
import { trimToShape, valueShape } from './extraction.model.ts';
import { normalizeText, type Token } from './extraction.tokens.ts';

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
    const steps = calibrationSteps(outcomes, 10);
    expect(steps.length).toBeGreaterThan(3);
    for (let i = 1; i < steps.length; i++) expect(steps[i]![1]).toBeGreaterThanOrEqual(steps[i - 1]![1]);
    expect(steps[0]![1]).toBeLessThan(0.2);
    expect(steps[steps.length - 1]![1]).toBeGreaterThan(0.8);
  });
});
