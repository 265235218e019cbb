import { describe, expect, it } from 'vitest';
import { block, documentPage, emptyPage, line, rotatedPage } from '../../test/pages.fixture.ts';
import { issuesFromZod } from '../common/errors.ts';
import { doctrErrorBody, doctrErrorSchema } from './doctr.errors.ts';
import { doctrQuerySchema } from './doctr.requests.ts';
import { doctrResponse, doctrResponseSchema, doctrResult } from './doctr.responses.ts';

const defaults = doctrQuerySchema.parse({});

describe('docTR query', () => {
  it('has the seed defaults', () => {
    expect(defaults).toEqual({
      detection_model: 'db_resnet50',
      recognition_model: 'crnn_vgg16_bn',
      assume_straight_pages: true,
      preserve_aspect_ratio: true,
      detect_orientation: false,
      detect_language: false,
      symmetric_padding: true,
      straighten_pages: false,
      detection_batch_size: 2,
      recognition_batch_size: 128,
      disable_page_orientation: false,
      disable_text_orientation: false,
      // Absent: the engine's own thresholds (docTR's 0.1 is calibrated for docTR's detector).
      group_lines: true,
      group_blocks: false,
      paragraph_break: 0.0035,
      // Folio's own: PDF text layers are read unless the client forces OCR.
      force_ocr: false,
    });
  });

  it('reads query strings the way FastAPI does and refuses nonsense', () => {
    expect(doctrQuerySchema.parse({ assume_straight_pages: 'False', group_blocks: '1', box_threshold: '0.3', detection_batch_size: '4' })).toMatchObject({
      assume_straight_pages: false,
      group_blocks: true,
      box_threshold: 0.3,
      detection_batch_size: 4,
    });
    const bad = doctrQuerySchema.safeParse({ group_lines: 'maybe', box_threshold: '2', detection_batch_size: '1.5' });
    expect(bad.success).toBe(false);
    expect(issuesFromZod(bad.error!, 'query').map((i) => i.loc)).toEqual([
      ['query', 'detection_batch_size'],
      ['query', 'box_threshold'],
      ['query', 'group_lines'],
    ]);
  });
});

describe('docTR response', () => {
  it('groups lines into one block by default, with relative straight geometry', () => {
    const [result] = doctrResponse([{ name: 'invoice.png', page: documentPage() }], defaults);
    expect(doctrResponseSchema.safeParse([result]).success).toBe(true);
    expect(result?.name).toBe('invoice.png');
    expect(result?.dimensions).toEqual([1400, 1000]);
    expect(result?.orientation).toEqual({ value: null, confidence: null });
    expect(result?.language).toEqual({ value: null, confidence: null });
    const blocks = result!.pages[0]!.blocks;
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.lines).toHaveLength(14);
    const heading = blocks[0]!.lines[0]!;
    expect(heading.geometry).toEqual([0.1, 100 / 1400, 0.5, 160 / 1400]);
    expect(heading.words.map((w) => w.value)).toEqual(['Invoice', '42']);
    expect(heading.words[0]).toMatchObject({ confidence: 0.98, detection_score: 0.98, text_orientation: { value: 0, confidence: null } });
  });

  it('keeps the canonical blocks with group_blocks, and one line of all words without group_lines', () => {
    const page = documentPage();
    const grouped = doctrResult('a', page, { ...defaults, group_blocks: true, paragraph_break: 0.02 });
    expect(grouped.pages[0]!.blocks.map((b) => b.lines.length)).toEqual([1, 2, 1, 8, 2]);
    const flat = doctrResult('a', page, { ...defaults, group_lines: false });
    expect(flat.pages[0]!.blocks).toHaveLength(1);
    expect(flat.pages[0]!.blocks[0]!.lines).toHaveLength(1);
    expect(flat.pages[0]!.blocks[0]!.lines[0]!.words.map((w) => w.value).slice(0, 4)).toEqual(['Invoice', '42', 'Thank', 'you']);
  });

  it('splits blocks where the vertical gap exceeds paragraph_break × page height; tables and columns stay apart', () => {
    const page = documentPage();
    const at = (paragraph_break: number) => doctrResult('a', page, { ...defaults, group_blocks: true, paragraph_break }).pages[0]!.blocks.map((b) => b.lines.length);
    // 1400 px high: the seed's 0.0035 (4.9 px) is below every gap between lines (10 px and more).
    expect(at(0.0035)).toEqual([1, 1, 1, 1, 8, 1, 1]);
    expect(at(0.02)).toEqual([1, 2, 1, 8, 2]);
    // A wide break joins the text above the table; the table and what follows it stay apart.
    expect(at(0.5)).toEqual([4, 8, 2]);
    const twoColumns = { ...page, blocks: [block('paragraph', [line('left column', 100, 100, 400, 130)]), block('paragraph', [line('right column', 600, 100, 900, 130)])] };
    expect(doctrResult('a', twoColumns, { ...defaults, group_blocks: true, paragraph_break: 0.5 }).pages[0]!.blocks).toHaveLength(2);
  });

  it('refuses unknown options, one issue naming each', () => {
    const parsed = doctrQuerySchema.safeParse({ box_treshold: '0.5', language: 'fr', box_threshold: '0.5' });
    expect(parsed.success).toBe(false);
    expect(issuesFromZod(parsed.error!, 'query')).toEqual([
      { loc: ['query', 'box_treshold'], msg: 'Unrecognized key: "box_treshold"', type: 'unrecognized_keys' },
      { loc: ['query', 'language'], msg: 'Unrecognized key: "language"', type: 'unrecognized_keys' },
    ]);
  });

  it('answers the detected language only with detect_language', () => {
    const fr = { value: 'fr', confidence: 0.8 };
    expect(doctrResult('a', documentPage(), { ...defaults, detect_language: true }, fr).language).toEqual(fr);
    expect(doctrResult('a', documentPage(), defaults, fr).language).toEqual({ value: null, confidence: null });
  });

  it('answers 8-number polygons when assume_straight_pages is false', () => {
    const r = doctrResult('a', documentPage(), { ...defaults, assume_straight_pages: false, group_blocks: true });
    const word = r.pages[0]!.blocks[0]!.lines[0]!.words[0]!;
    expect(word.geometry).toHaveLength(8);
    expect(r.pages[0]!.blocks[0]!.geometry).toHaveLength(8);
    expect(doctrResponseSchema.safeParse([r]).success).toBe(true);
  });

  it('reports a rotated page in its uploaded frame, or upright with straighten_pages', () => {
    const page = rotatedPage();
    const asUploaded = doctrResult('r.png', page, { ...defaults, detect_orientation: true });
    expect(asUploaded.dimensions).toEqual([400, 600]);
    expect(asUploaded.orientation).toEqual({ value: -90, confidence: null });
    const line = asUploaded.pages[0]!.blocks[0]!.lines[0]!;
    expect(line.geometry).toEqual([470 / 600, 50 / 400, 500 / 600, 250 / 400]);
    expect(line.words[0]!.text_orientation.value).toBe(-90);

    const upright = doctrResult('r.png', page, { ...defaults, straighten_pages: true, detect_orientation: true });
    expect(upright.dimensions).toEqual([600, 400]);
    const uprightLine = upright.pages[0]!.blocks[0]!.lines[0]!;
    expect(uprightLine.geometry.map((v) => +v.toFixed(6))).toEqual([50 / 400, 100 / 600, 250 / 400, 130 / 600].map((v) => +v.toFixed(6)));
    expect(uprightLine.words[0]!.text_orientation.value).toBe(0);

    const polygon = doctrResult('r.png', page, { ...defaults, straighten_pages: true, assume_straight_pages: false });
    expect(polygon.pages[0]!.blocks[0]!.lines[0]!.geometry.map((v) => +v.toFixed(6))).toEqual(
      [50 / 400, 100 / 600, 250 / 400, 100 / 600, 250 / 400, 130 / 600, 50 / 400, 130 / 600].map((v) => +v.toFixed(6)),
    );
  });

  it('answers one entry per page with the file name, and no blocks for an empty page', () => {
    const res = doctrResponse(
      [
        { name: 'doc.pdf', page: documentPage() },
        { name: 'doc.pdf', page: emptyPage() },
      ],
      defaults,
    );
    expect(res.map((r) => r.name)).toEqual(['doc.pdf', 'doc.pdf']);
    expect(res[1]!.pages).toEqual([{ blocks: [] }]);
  });

  it("validates the seed's documented example values", () => {
    const word = { confidence: 0.99, detection_score: 0.99, geometry: [0, 0, 0, 0], text_orientation: { value: 0 }, value: 'example' };
    const seed = [
      {
        name: 'example.jpg',
        orientation: { confidence: 0.99, value: 0 },
        language: { confidence: 0.99, value: 'en' },
        dimensions: [123, 123],
        pages: [{ blocks: [{ detection_score: 0.99, geometry: [0, 0, 0, 0], lines: [{ detection_score: 0.99, geometry: [0, 0, 0, 0], words: [word] }] }] }],
      },
    ];
    expect(doctrResponseSchema.safeParse(seed).success).toBe(true);
    // The seed's request-sample placeholders (`orientation: {}`) validate too.
    expect(doctrResponseSchema.safeParse([{ ...seed[0], orientation: {}, language: {} }]).success).toBe(true);
  });
});

describe('docTR errors', () => {
  it('answers FastAPI { detail }', () => {
    expect(doctrErrorBody({ status: 400, code: 'bad_request', message: 'Unsupported file' })).toEqual({ detail: 'Unsupported file' });
    const issues = [{ loc: ['query', 'box_threshold'], msg: 'too big', type: 'custom' }];
    const body = doctrErrorBody({ status: 422, code: 'unprocessable', message: 'x', issues });
    expect(body).toEqual({ detail: issues });
    expect(doctrErrorSchema.safeParse(body).success).toBe(true);
  });
});
