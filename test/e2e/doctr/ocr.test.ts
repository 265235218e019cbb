import { makeTextPdf, makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leavesNothing } from '../../../apps/api/test/support/leftovers.ts';
import { openApiValidator, type OpenApiValidator } from '../../../apps/api/test/support/openapi.validator.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

interface Word {
  value: string;
  geometry: number[];
  confidence: number;
  detection_score: number;
}
interface Line {
  geometry: number[];
  words: Word[];
}
interface Entry {
  name: string;
  orientation: { value: number | null };
  language: { value: string | null };
  dimensions: [number, number];
  pages: Array<{ blocks: Array<{ geometry: number[]; lines: Line[] }> }>;
}


type Upload = { name: string; bytes: Uint8Array; type: string; field?: string };

describe('docTR POST /ocr (real API, worker and engine)', () => {
  let stack: Stack;
  let openapi: OpenApiValidator;
  let png: Uint8Array;

  const ocr = async (files: Upload[], query = '', auth: string | null = `Bearer ${stack?.dev.apiKey}`) => {
    const form = new FormData();
    for (const f of files) form.append(f.field ?? 'files', new Blob([Buffer.from(f.bytes)], { type: f.type }), f.name);
    const res = await fetch(`${stack.api.url}/ocr${query}`, { method: 'POST', body: form, headers: auth ? { authorization: auth } : {} });
    return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
  };
  const conforms = (status: number, body: unknown) => expect(openapi.check('doctrOcr', status, body)).toEqual([]);

  beforeAll(async () => {
    stack = await startStack();
    openapi = await openApiValidator(stack.api.url);
    png = await makeTextPng(['Invoice 2041', 'Amount due 17.25']);
  });
  afterAll(() => stack?.close());

  it('answers 503 in FastAPI shape while no recognize worker is connected', async () => {
    const { result, before, after } = await leavesNothing(stack, () => ocr([{ name: 'a.png', bytes: png, type: 'image/png' }]));
    expect(result.status).toBe(503);
    expect(result.body).toEqual({ detail: expect.stringContaining('not loaded') });
    conforms(503, result.body);
    expect(after).toEqual(before);
    await stack.startWorker();
    await eventually(async () => ((await fetch(`${stack.api.url}/v1/health/ready`)).status === 200 ? true : undefined), 30_000, 'readiness');
  });

  it('reads a PNG and a one-page PDF: one entry per page, pages → blocks → lines → words, relative boxes', async () => {
    const pdf = makeTextPdf([['Shipping note 88', 'Deliver to Berlin']], { fontSize: 16 });
    const res = await ocr([
      { name: 'invoice.png', bytes: png, type: 'image/png' },
      { name: 'note.pdf', bytes: pdf, type: 'application/pdf' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    conforms(200, res.body);
    const [image, page] = res.body as Entry[];
    expect(image?.name).toBe('invoice.png');
    expect(page?.name).toBe('note.pdf');
    expect(image?.orientation).toEqual({ value: null, confidence: null });
    expect(image?.language).toEqual({ value: null, confidence: null });
    // docTR's dimensions are (height, width); the PDF page is A4 portrait.
    expect(page!.dimensions[0]).toBeGreaterThan(page!.dimensions[1]);

    const words = (e: Entry) => e.pages[0]!.blocks.flatMap((b) => b.lines.flatMap((l) => l.words.map((w) => w.value.toLowerCase())));
    expect(words(image!)).toEqual(expect.arrayContaining(['invoice', '2041', 'amount', 'due']));
    // The recognizer sometimes splits a number ("1", "7.25"): check the characters, not the split.
    expect(words(image!).join('')).toContain('17.25');
    expect(words(page!)).toEqual(expect.arrayContaining(['shipping', 'note', '88', 'deliver', 'berlin']));
    // Default grouping: lines grouped, all in one block.
    expect(image!.pages[0]!.blocks).toHaveLength(1);
    const lines = image!.pages[0]!.blocks[0]!.lines;
    expect(lines).toHaveLength(2);
    expect(lines[0]!.geometry[1]).toBeLessThan(lines[1]!.geometry[1]!);
    for (const l of lines) {
      expect(l.geometry).toHaveLength(4);
      for (const v of l.geometry) expect(v >= 0 && v <= 1).toBe(true);
      for (const w of l.words) expect(w.geometry[0]!).toBeLessThan(w.geometry[2]!);
    }
  });

  it('honours assume_straight_pages=false, detect_orientation and group_blocks (FastAPI boolean spellings)', async () => {
    const res = await ocr([{ name: 'invoice.png', bytes: png, type: 'image/png' }], '?assume_straight_pages=False&detect_orientation=1&group_blocks=true&box_threshold=0.3');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    conforms(200, res.body);
    const [entry] = res.body as Entry[];
    expect(entry?.orientation.value).toBe(0);
    const word = entry!.pages[0]!.blocks[0]!.lines[0]!.words[0]!;
    expect(word.geometry).toHaveLength(8);
  });

  describe('refuses bad input in FastAPI shape, leaving nothing behind', () => {
    it('422 listing each bad query option', async () => {
      const { result, before, after } = await leavesNothing(stack, () =>
        ocr([{ name: 'a.png', bytes: png, type: 'image/png' }], '?box_threshold=2&group_lines=maybe'),
      );
      expect(result.status).toBe(422);
      const detail = (result.body as { detail: Array<{ loc: unknown[] }> }).detail;
      expect(detail.map((d) => d.loc)).toEqual(expect.arrayContaining([['query', 'box_threshold'], ['query', 'group_lines']]));
      conforms(422, result.body);
      expect(after).toEqual(before);
    });

    it('422 when no part is named "files"', async () => {
      const { result, after, before } = await leavesNothing(stack, () => ocr([{ name: 'a.png', bytes: png, type: 'image/png', field: 'file' }]));
      expect(result.status).toBe(422);
      expect(result.body).toEqual({ detail: [{ loc: ['body', 'files'], msg: 'Field required', type: 'missing' }] });
      conforms(422, result.body);
      expect(after).toEqual(before);
    });

    it('415 for a body that is not multipart', async () => {
      const res = await fetch(`${stack.api.url}/ocr`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.dev.apiKey}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(415);
      const body = await res.json();
      expect(body).toEqual({ detail: expect.stringContaining('multipart/form-data') });
      conforms(415, body);
    });

    const bad: Array<[string, () => Upload[], number, RegExp]> = [
      ['text declared as PNG', () => [{ name: 'a.png', bytes: Buffer.from('just some text, not an image'), type: 'image/png' }], 415, /./],
      ['an empty file', () => [{ name: 'empty.png', bytes: new Uint8Array(0), type: 'image/png' }], 400, /empty/],
      ['an encrypted PDF', () => [{ name: 'locked.pdf', bytes: makeTextPdf([['secret']], { encrypt: { userPassword: 'pw', ownerPassword: 'owner' } }), type: 'application/pdf' }], 422, /password|encrypt/i],
      ['a corrupt PDF after a good PNG', () => [
        { name: 'good.png', bytes: png, type: 'image/png' },
        { name: 'broken.pdf', bytes: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage'), type: 'application/pdf' },
      ], 422, /broken\.pdf/],
    ];
    for (const [name, files, status, message] of bad) {
      it(`${status} for ${name}`, async () => {
        const { result, before, after } = await leavesNothing(stack, () => ocr(files()));
        expect(result.status, JSON.stringify(result.body)).toBe(status);
        expect((result.body as { detail: string }).detail).toMatch(message);
        conforms(status, result.body);
        expect(after).toEqual(before);
      });
    }

    it('401 with a Bearer challenge without a valid key', async () => {
      for (const auth of [null, 'Bearer wrong-key-0000000']) {
        const res = await ocr([{ name: 'a.png', bytes: png, type: 'image/png' }], '', auth);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(res.body).toEqual({ detail: 'Missing or invalid API key.' });
        conforms(401, res.body);
      }
    });
  });
});
