import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseDataUrl } from '../common/data-url.ts';
import { documentPage, emptyPage, rotatedPage } from '../../test/pages.fixture.ts';
import { aggregate } from './nim.aggregate.ts';
import { NIM_INVALID_URL_MESSAGE, nimDataUrlErrorMessage, nimErrorBody, nimErrorSchema } from './nim.errors.ts';
import { nimInferRequestSchema, nimMergeLevels } from './nim.requests.ts';
import {
  nimHealthLive,
  nimHealthLiveSchema,
  nimHealthReady,
  nimHealthReadySchema,
  nimInferResponse,
  nimInferResponseSchema,
  nimTextDetections,
} from './nim.responses.ts';

describe('NIM request', () => {
  it('accepts the seed payload and defaults to line-level (sentence) detections', () => {
    const body = nimInferRequestSchema.parse({
      input: [
        { type: 'image_url', url: 'data:img/png;base64,AAAA' },
        { type: 'image_url', url: 'data:image/jpeg;base64,AAAA' },
      ],
    });
    expect(nimMergeLevels(body)).toEqual(['sentence', 'sentence']);
  });

  it('takes one merge level for all images or one per image, "line" meaning sentence', () => {
    const input = [
      { type: 'image_url', url: 'x' },
      { type: 'image_url', url: 'y' },
    ];
    expect(nimMergeLevels(nimInferRequestSchema.parse({ input, merge_levels: ['word'] }))).toEqual(['word', 'word']);
    expect(nimMergeLevels(nimInferRequestSchema.parse({ input, merge_levels: ['paragraph', 'line'] }))).toEqual(['paragraph', 'sentence']);
    const three = nimInferRequestSchema.safeParse({ input, merge_levels: ['word', 'word', 'word'] });
    expect(three.success).toBe(false);
    expect(three.error?.issues[0]?.message).toMatch(/one level or one per image \(2\), not 3/);
  });

  it('refuses malformed bodies', () => {
    expect(nimInferRequestSchema.safeParse({}).success).toBe(false);
    expect(nimInferRequestSchema.safeParse({ input: [] }).success).toBe(false);
    expect(nimInferRequestSchema.safeParse({ input: [{ type: 'text', url: 'x' }] }).success).toBe(false);
    expect(nimInferRequestSchema.safeParse({ input: [{ type: 'image_url', url: 'x' }], merge_levels: ['block'] }).success).toBe(false);
  });
});

describe('NIM response', () => {
  it('answers one detection per line by default, boxes normalized to the page', () => {
    const detections = nimTextDetections(documentPage(), 'sentence');
    expect(detections.map((d) => d.text_prediction.text).slice(0, 3)).toEqual(['Invoice 42', 'Thank you for your order.', 'It ships tomorrow.']);
    expect(detections[0]).toEqual({
      text_prediction: { text: 'Invoice 42', confidence: 0.98 },
      bounding_box: {
        points: [
          { x: 0.1, y: 100 / 1400 },
          { x: 0.5, y: 100 / 1400 },
          { x: 0.5, y: 160 / 1400 },
          { x: 0.1, y: 160 / 1400 },
        ],
      },
    });
  });

  it('answers words, lines or paragraphs', () => {
    const page = documentPage();
    const words = nimTextDetections(page, 'word');
    expect(words.slice(0, 2).map((d) => d.text_prediction.text)).toEqual(['Invoice', '42']);
    const paragraphs = nimTextDetections(page, 'paragraph');
    expect(paragraphs).toHaveLength(5);
    expect(paragraphs[1]?.text_prediction.text).toBe('Thank you for your order.\nIt ships tomorrow.');
    expect(paragraphs[3]?.text_prediction.text).toBe('Item Qty Price\nWidget 2 9.99\nGadget a|b');
    // Character-weighted: the long first line counts more than the short second one.
    expect(paragraphs[1]?.text_prediction.confidence).toBeCloseTo((0.96 * 25 + 0.94 * 18) / 43, 10);
  });

  it('keeps boxes in the pixels of the image sent and starts each at the image top-left on a rotated page', () => {
    const [d] = nimTextDetections(rotatedPage(), 'sentence');
    const points = d!.bounding_box.points;
    expect(points.map((p) => [p.x, p.y])).toEqual([
      [470 / 600, 50 / 400],
      [500 / 600, 50 / 400],
      [500 / 600, 250 / 400],
      [470 / 600, 250 / 400],
    ]);
  });

  it('clamps to [0, 1], drops empty texts, and answers an empty page with no detections', () => {
    const page = documentPage();
    page.blocks[0]!.lines[0]!.quad = [[-10, -5], [2000, -5], [2000, 160], [-10, 160]];
    page.blocks[1]!.lines[0]!.text = '  ';
    const detections = nimTextDetections(page, 'sentence');
    expect(detections[0]?.bounding_box.points[0]).toEqual({ x: 0, y: 0 });
    expect(detections[0]?.bounding_box.points[1]).toEqual({ x: 1, y: 0 });
    expect(detections.map((d) => d.text_prediction.text)).not.toContain('  ');
    expect(nimTextDetections(emptyPage(), 'word')).toEqual([]);
  });

  it('indexes images in request order and validates against the response schema', () => {
    const res = nimInferResponse([
      { page: documentPage(), level: 'sentence' },
      { page: rotatedPage(), level: 'word' },
    ]);
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    expect(res.data[1]?.text_detections.map((d) => d.text_prediction.text)).toEqual(['Rotated', 'text']);
    expect(nimInferResponseSchema.safeParse(res).success).toBe(true);
  });

  it("validates the seed's sample response, health and error bodies", () => {
    const seed = {
      data: [
        {
          index: 0,
          text_detections: [
            {
              text_prediction: { text: 'Trunch Parish Council', confidence: 0.9192708134651184 },
              bounding_box: {
                points: [
                  { x: 0.33125000000000004, y: 0.02227466504263094 },
                  { x: 0.5531250000000001, y: 0.01641291108404385 },
                  { x: 0.5531250000000001, y: 0.04103227771010962 },
                  { x: 0.33125000000000004, y: 0.04689403166869672 },
                ],
              },
            },
            {
              text_prediction: { text: 'DIFFERENCE', confidence: 0.9974609613418579 },
              bounding_box: {
                points: [
                  { x: 0.030208333333333334, y: 0.9636723507917175 },
                  { x: 0.15520833333333336, y: 0.9613276492082827 },
                  { x: 0.15520833333333336, y: 0.9859470158343485 },
                  { x: 0.030208333333333334, y: 0.9882917174177832 },
                ],
              },
            },
          ],
        },
      ],
    };
    expect(nimInferResponseSchema.safeParse(seed).success).toBe(true);
    expect(nimHealthReadySchema.parse(nimHealthReady(true))).toEqual({ ready: true });
    expect(nimHealthLiveSchema.parse(nimHealthLive())).toEqual({ live: true });
    expect(nimErrorSchema.safeParse({ error: NIM_INVALID_URL_MESSAGE }).success).toBe(true);
  });
});

describe('NIM errors', () => {
  it('answers { error } with the seed sentence for a bad URL and a base64 sentence for bad data', async () => {
    expect(nimErrorBody({ message: 'queue full' })).toEqual({ error: 'queue full' });
    const notData = parseDataUrl('https://example.com/a.png');
    expect(notData.ok).toBe(false);
    if (!notData.ok) expect(nimDataUrlErrorMessage(notData, 2)).toContain(NIM_INVALID_URL_MESSAGE);
    const badBase64 = parseDataUrl('data:image/png;base64,@@@@');
    if (!badBase64.ok) expect(nimDataUrlErrorMessage(badBase64, 0)).toMatch(/^input\[0\]: the base64-encoded image data is invalid/);
    const gif = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
    const notImage = parseDataUrl(`data:image/png;base64,${gif.toString('base64')}`);
    if (!notImage.ok) expect(nimDataUrlErrorMessage(notImage, 1)).toMatch(/png and jpeg/);
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer();
    expect(parseDataUrl(`data:image/png;base64,${png.toString('base64')}`).ok).toBe(true);
  });
});

describe('aggregate', () => {
  it('treats a line without words as one word', () => {
    const page = documentPage();
    page.blocks[0]!.lines[0]!.words = [];
    expect(aggregate(page, 'word')[0]?.text).toBe('Invoice 42');
  });
});
