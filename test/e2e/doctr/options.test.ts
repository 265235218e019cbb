import { makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leavesNothing } from '../../../apps/api/test/support/leftovers.ts';
import { openApiValidator, type OpenApiValidator } from '../../../apps/api/test/support/openapi.validator.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

interface Word {
  value: string;
  geometry: number[];
}
interface Entry {
  language: { value: string | null; confidence: number | null };
  pages: Array<{ blocks: Array<{ geometry: number[]; lines: Array<{ geometry: number[]; words: Word[] }> }> }>;
}

/** docTR's options reach the engine and the answer: generated pages, the real worker and models. */
describe('docTR POST /ocr options (real API, worker and engine)', () => {
  let stack: Stack;
  let openapi: OpenApiValidator;
  let letter: Uint8Array;

  const ocr = async (bytes: Uint8Array, query: string) => {
    const form = new FormData();
    form.append('files', new Blob([Buffer.from(bytes)], { type: 'image/png' }), 'page.png');
    const res = await fetch(`${stack.api.url}/ocr${query}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${stack.dev.apiKey}` } });
    const body = (await res.json()) as unknown;
    expect(openapi.check('doctrOcr', res.status, body)).toEqual([]);
    return { status: res.status, body };
  };
  const entry = async (bytes: Uint8Array, query: string): Promise<Entry> => {
    const res = await ocr(bytes, query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as Entry[])[0]!;
  };
  const words = (e: Entry) => e.pages[0]!.blocks.flatMap((b) => b.lines.flatMap((l) => l.words));
  const lineArea = (e: Entry) =>
    e.pages[0]!.blocks.flatMap((b) => b.lines).reduce((a, l) => a + (l.geometry[2]! - l.geometry[0]!) * (l.geometry[3]! - l.geometry[1]!), 0);

  beforeAll(async () => {
    stack = await startStack();
    openapi = await openApiValidator(stack.api.url);
    await stack.startWorker();
    await eventually(async () => ((await fetch(`${stack.api.url}/v1/health/ready`)).status === 200 ? true : undefined), 60_000, 'readiness');
    // Two paragraphs of two lines, two blank lines between them (~0.28 of the page height).
    letter = await makeTextPng(['Dear customer, your order', 'left our warehouse today.', '', '', 'The invoice follows by', 'post within three days.'], { fontSize: 24 });
  });
  afterAll(() => stack?.close());

  it('box_threshold reaches the detector: 0.999 keeps almost nothing of what the default keeps', async () => {
    const plain = await entry(letter, '');
    const strict = await entry(letter, '?box_threshold=0.999');
    expect(words(plain).length).toBeGreaterThanOrEqual(12);
    expect(words(strict).length).toBeLessThanOrEqual(words(plain).length / 4);
  });

  it('binary_threshold reaches the segmentation: 1 segments nothing, 0.9 still every line of clean text', async () => {
    const lines = (e: Entry) => e.pages[0]!.blocks.flatMap((b) => b.lines);
    expect(lines(await entry(letter, ''))).toHaveLength(4);
    // The DB map of clean text is sharp (near 1 on text, 0 elsewhere): 0.9 still finds every line.
    expect(lines(await entry(letter, '?binary_threshold=0.9'))).toHaveLength(4);
    expect(lines(await entry(letter, '?binary_threshold=1'))).toHaveLength(0);
  });

  it('paragraph_break splits blocks at vertical gaps larger than its share of the page height (with group_blocks)', async () => {
    const blocksAt = async (q: string) => (await entry(letter, `?group_blocks=true${q}`)).pages[0]!.blocks.map((b) => b.lines.length);
    // The seed's default (0.0035 of the height, ~1 px here) is below the gap between lines: a block each.
    expect(await blocksAt('')).toEqual([1, 1, 1, 1]);
    expect(await blocksAt('&paragraph_break=0.1')).toEqual([2, 2]);
    expect(await blocksAt('&paragraph_break=0.5')).toEqual([4]);
    // Without group_blocks the option changes nothing: one block.
    expect((await entry(letter, '?paragraph_break=0.1')).pages[0]!.blocks).toHaveLength(1);
  });

  it('detect_language answers the ISO 639-1 code of the text, nulls without the option', async () => {
    const french = await makeTextPng(['Nous vous remercions de votre commande', 'et vous prions de trouver ci-joint la facture', 'de ce mois avec nos salutations les meilleures'], { fontSize: 24 });
    const fr = await entry(french, '?detect_language=true');
    expect(fr.language.value).toBe('fr');
    expect(fr.language.confidence).toBeGreaterThan(0);
    expect((await entry(letter, '?detect_language=true')).language.value).toBe('en');
    expect((await entry(french, '')).language).toEqual({ value: null, confidence: null });
  });

  it('422 naming each unknown option and each invalid value, leaving nothing behind', async () => {
    const { result, before, after } = await leavesNothing(stack, () => ocr(letter, '?box_treshold=0.5&language=fr&binary_threshold=-1&paragraph_break=wide'));
    expect(result.status).toBe(422);
    const detail = (result.body as { detail: Array<{ loc: unknown[]; msg: string }> }).detail;
    expect(detail.map((d) => d.loc)).toEqual(
      expect.arrayContaining([
        ['query', 'box_treshold'],
        ['query', 'language'],
        ['query', 'binary_threshold'],
        ['query', 'paragraph_break'],
      ]),
    );
    expect(detail.find((d) => d.loc[1] === 'box_treshold')?.msg).toMatch(/box_treshold/);
    expect(after).toEqual(before);
  });
});
