import { openDocument } from '@folio/documents';
import { LIGATURE_EXPANDED, SCANNED_LINES, TYPOGRAPHIC_LINE, makeTextRaster, textLayerFixtures, writePdf } from '@folio/documents/testing';
import { createOcrEngine, engineOptionsFromConfig, type OcrEngine, type OcrPage } from '@folio/ocr';
import { createQueues, createRedisConnection } from '@folio/queue';
import { storageKeys } from '@folio/storage';
import pg from 'pg';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiValidator } from '../../../apps/api/test/support/openapi.validator.ts';
import { stackStorage } from '../../../apps/api/test/review/review.support.ts';
import { readPage } from '../../../apps/cli/src/commands/ocr.read-page.ts';
import { basicAuth, eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * Born-digital PDFs end to end (API, render, recognize, real engine): each page is read from its
 * text layer, OCR'd, or both (image regions), says which, and `force_ocr` turns the text layer
 * off in every dialect that reads documents.
 */

const fixtures = textLayerFixtures();
const dataUrl = (pdf: Uint8Array) => `data:application/pdf;base64,${Buffer.from(pdf).toString('base64')}`;
const words = (p: OcrPage) => p.blocks.flatMap((b) => b.lines.flatMap((l) => l.words));
const text = (p: OcrPage) => p.blocks.flatMap((b) => b.lines.map((l) => l.text)).join('\n');

describe('text layer in the pipeline', () => {
  let stack: Stack;

  const post = async (path: string, body: unknown, auth = `Bearer ${stack.dev.apiKey}`) => {
    const res = await fetch(`${stack.api.url}${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const ocrPdf = (pdf: Uint8Array, extra: Record<string, unknown> = {}) => post('/v1/ocr', { document: { type: 'document_url', document_url: dataUrl(pdf) }, ...extra });
  const pagesOf = async (fileId: string) => {
    const pages = await stack.db.pages.listByFile(fileId);
    return pages.map((p) => ({ row: p, result: p.result as unknown as OcrPage }));
  };
  const fileIdOf = (body: Record<string, unknown>) => String(body.id).replace(/^ocr-/, '');

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    await eventually(async () => ((await fetch(`${stack.api.url}/v1/health/ready`)).status === 200 ? true : undefined), 60_000, 'readiness');
  }, 120_000);
  afterAll(() => stack?.close());

  it('reads a text-only PDF from its text layer: every €, accent and quote kept, no image rendered until asked for', async () => {
    const res = await ocrPdf(fixtures.textOnly.pdf);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const markdown = (res.body.pages as Array<{ markdown: string }>)[0]!.markdown;
    expect(markdown).toContain(TYPOGRAPHIC_LINE);
    expect(markdown).toContain(LIGATURE_EXPANDED);
    const [page] = await pagesOf(fileIdOf(res.body));
    expect(page!.result.source).toBe('text_layer');
    expect(page!.result.sourceReason).toBeUndefined();
    expect(words(page!.result).every((w) => w.origin === 'text_layer' && w.confidence === 1)).toBe(true);
    expect(page!.row.imageKey).toBeNull();
    expect(page!.row.textLayerKey).toBeTruthy();

    // Asked for: rendered at the page's dpi, the size its boxes refer to, and kept.
    const again = await post('/v1/ocr', { document: { type: 'file', file_id: fileIdOf(res.body) }, include_image_base64: true });
    expect(again.status).toBe(200);
    const image = (again.body.pages as Array<{ images: Array<{ image_base64: string }>; dimensions: { width: number; height: number } }>)[0]!;
    expect(image.images[0]!.image_base64).toMatch(/^data:image\/png;base64,/);
    expect(image.dimensions).toMatchObject({ width: page!.row.width, height: page!.row.height });
    const [kept] = await pagesOf(fileIdOf(res.body));
    expect(kept!.row.imageKey).toBeTruthy();
  }, 120_000);

  it('OCRs a scan-only PDF as before, saying why', async () => {
    const res = await ocrPdf(fixtures.scanOnly.pdf);
    expect(res.status).toBe(200);
    const [page] = await pagesOf(fileIdOf(res.body));
    expect(page!.result).toMatchObject({ source: 'ocr', sourceReason: 'scanned_page' });
    // The engine's reading of this big synthetic scan is what it was before the text layer existed.
    expect(text(page!.result)).toMatch(/Amount/);
    expect(words(page!.result).every((w) => w.origin === 'ocr')).toBe(true);
  }, 120_000);

  it('reads a text page with an image of text as mixed: text-layer words plus the OCR of the image', async () => {
    const res = await ocrPdf(fixtures.textWithImageOfText.pdf);
    expect(res.status).toBe(200);
    const [page] = await pagesOf(fileIdOf(res.body));
    expect(page!.result).toMatchObject({ source: 'mixed', sourceReason: 'image_regions' });
    const all = words(page!.result);
    expect(all.filter((w) => w.origin === 'text_layer').map((w) => w.text)).toEqual(['Quarterly', 'report']);
    expect(all.filter((w) => w.origin === 'ocr').map((w) => w.text.toLowerCase()).join(' ')).toMatch(/revenue/);
    // The image region was OCR'd; the text layer's own words were not read twice.
    expect(all.filter((w) => w.text === 'Quarterly')).toHaveLength(1);
  }, 120_000);

  describe('mixed pages: image regions rendered alone', () => {
    // Two pages: one with two images of text (two regions on one sheet), one with one.
    const pdf = writePdf([
      {
        texts: [{ text: 'Annual summary', x: 72, y: 100 }, { text: 'Prepared by the finance team', x: 72, y: 120 }],
        images: [
          { x: 72, y: 200, width: 300, height: 60, raster: makeTextRaster(['Figure 1: revenue 2024'], { fontSize: 32 }) },
          { x: 72, y: 400, width: 240, height: 60, raster: makeTextRaster(['Total 4250 EUR'], { fontSize: 32 }) },
        ],
      },
      { texts: [{ text: 'Second page heading', x: 72, y: 100 }], images: [{ x: 300, y: 300, width: 220, height: 60, raster: makeTextRaster(['Signed: Alice Martin'], { fontSize: 32 }) }] },
    ]);
    /** What a page reads, word by word: text, origin and box (whole pixels). */
    const reading = (p: OcrPage) => words(p).map((w) => [w.text, w.origin, w.quad.flat().map((v) => Math.round(v))]);
    let fileId: string;
    let service: Array<{ row: Awaited<ReturnType<typeof pagesOf>>[number]['row']; result: OcrPage }>;

    it('stores no page image at render, only the sheet of its image regions, and reads the same words as the CLI', async () => {
      const res = await ocrPdf(pdf);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      fileId = fileIdOf(res.body);
      service = await pagesOf(fileId);
      const storage = stackStorage(stack);
      for (const page of service) {
        expect(page.result).toMatchObject({ source: 'mixed', sourceReason: 'image_regions' });
        expect(page.row.imageKey).toBeNull();
        const layer = JSON.parse((await storage.getBuffer(page.row.textLayerKey!)).toString('utf8')) as { regionSheet: { key: string; slots: unknown[] }; verdict: { imageRegions: unknown[] } };
        expect(layer.regionSheet.key).toBe(storageKeys.pageRegionSheet(stack.dev.orgId, fileId, page.row.index));
        expect(layer.regionSheet.slots).toHaveLength(layer.verdict.imageRegions.length);
        expect((await storage.head(layer.regionSheet.key))?.contentType).toBe('image/png');
      }
      expect(words(service[0]!.result).filter((w) => w.origin === 'ocr').map((w) => w.text).join(' ')).toMatch(/revenue.*4250/i);
      expect(words(service[1]!.result).filter((w) => w.origin === 'ocr').map((w) => w.text).join(' ')).toMatch(/Alice/);

      // The CLI reads the same PDF through the same steps: the same page, word for word.
      const doc = await openDocument(pdf);
      let engine: Promise<OcrEngine> | undefined;
      try {
        for (const page of service) {
          const cli = await readPage(doc, page.row.index, { dpi: stack.config.RENDER_DPI, ocr: 'auto' }, () => (engine ??= createOcrEngine(engineOptionsFromConfig(stack.config))));
          expect(reading(page.result)).toEqual(reading(cli));
        }
      } finally {
        await doc.close();
        await (await engine)?.close();
      }

      // Asked for, the page image is rendered as a text-layer page's is, at the page's size, and kept.
      const again = await post('/v1/ocr', { document: { type: 'file', file_id: fileId }, include_image_base64: true });
      expect(again.status).toBe(200);
      const shown = (again.body.pages as Array<{ images: Array<{ image_base64: string }>; dimensions: { width: number; height: number } }>)[0]!;
      expect(shown.images[0]!.image_base64).toMatch(/^data:image\/png;base64,/);
      expect(shown.dimensions).toMatchObject({ width: service[0]!.row.width, height: service[0]!.row.height });
      expect((await pagesOf(fileId))[0]!.row.imageKey).toBe(storageKeys.pageImage(stack.dev.orgId, fileId, 0));
    }, 180_000);

    it('still recognizes a mixed page rendered whole before region sheets existed (its page image, no sheet)', async () => {
      // Page 1 as render stored it before: the page PNG (rendered on demand above, at the page's
      // dpi, as render did) and a text layer naming no sheet; the sheet is gone.
      const storage = stackStorage(stack);
      const [page] = await pagesOf(fileId);
      const layer = JSON.parse((await storage.getBuffer(page!.row.textLayerKey!)).toString('utf8')) as Record<string, unknown> & { regionSheet?: { key: string } };
      await storage.delete(layer.regionSheet!.key);
      delete layer.regionSheet;
      await storage.putBuffer(page!.row.textLayerKey!, Buffer.from(JSON.stringify(layer)), 'application/json');
      const sql = new pg.Client({ connectionString: stack.env.DATABASE_URL });
      await sql.connect();
      try {
        await sql.query(`UPDATE pages SET status = 'RENDERED', result = NULL WHERE id = $1::uuid`, [page!.row.id]);
      } finally {
        await sql.end();
      }
      const redis = createRedisConnection(stack.env.REDIS_URL!);
      const queues = createQueues({ connection: redis, prefix: stack.env.QUEUE_PREFIX! });
      try {
        await queues.enqueue('recognize', { pageId: page!.row.id, fileId, orgId: stack.dev.orgId, requestId: 'old-row' }, { replaceFinished: true });
      } finally {
        await queues.close();
        redis.disconnect();
      }
      const done = await eventually(async () => {
        const row = await stack.db.pages.findById(page!.row.id);
        return row?.status === 'DONE' && row.result ? (row.result as unknown as OcrPage) : undefined;
      }, 60_000, 'the old row to be recognized');
      expect(done).toMatchObject({ source: 'mixed', sourceReason: 'image_regions' });
      // Read from the rendered page rather than the images' samples: pixels differ a little, words not.
      const texts = (p: OcrPage) => words(p).map((w) => `${w.text}:${w.origin}`);
      expect(texts(done)).toEqual(texts(service[0]!.result));
    }, 120_000);

    it('forced to OCR, renders each page whole and drops the text layers and region sheets it no longer names', async () => {
      const storage = stackStorage(stack);
      const again = await post(`/v1/files/${fileId}/ocr`, { force_ocr: true });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      for (const page of await pagesOf(fileId)) {
        expect(page.result).toMatchObject({ source: 'ocr', sourceReason: 'force_ocr' });
        expect(page.row.textLayerKey).toBeNull();
        expect(page.row.imageKey).toBe(storageKeys.pageImage(stack.dev.orgId, fileId, page.row.index));
        expect((await storage.head(page.row.imageKey!))?.contentType).toBe('image/png');
        expect(await storage.head(storageKeys.pageTextLayer(stack.dev.orgId, fileId, page.row.index))).toBeNull();
        expect(await storage.head(storageKeys.pageRegionSheet(stack.dev.orgId, fileId, page.row.index))).toBeNull();
      }
    }, 180_000);
  });

  it('falls back to OCR for a font with a broken ToUnicode, with the reason on the page', async () => {
    const res = await ocrPdf(fixtures.brokenToUnicode.pdf);
    expect(res.status).toBe(200);
    const [page] = await pagesOf(fileIdOf(res.body));
    expect(page!.result).toMatchObject({ source: 'ocr', sourceReason: 'unmapped_glyphs' });
    expect(text(page!.result)).toMatch(/12345/);
  }, 120_000);

  it('treats invisible text over a scan as a scan to OCR, not a text layer to trust', async () => {
    const res = await ocrPdf(fixtures.invisibleOverScan.pdf);
    expect(res.status).toBe(200);
    const [page] = await pagesOf(fileIdOf(res.body));
    expect(page!.result.source).toBe('ocr');
    expect(['invisible_text', 'scanned_page']).toContain(page!.result.sourceReason);
    expect(text(page!.result)).toContain(SCANNED_LINES[1]!.split(' ')[0]);
  }, 120_000);

  describe('force_ocr', () => {
    const forced = (p: OcrPage) => expect(p).toMatchObject({ source: 'ocr', sourceReason: 'force_ocr' });
    const pdf = () => fixtures.textWithImageOfText.pdf;

    it('Files + OCR: POST /v1/ocr body', async () => {
      const res = await ocrPdf(pdf(), { force_ocr: true });
      expect(res.status).toBe(200);
      const [page] = await pagesOf(fileIdOf(res.body));
      forced(page!.result);
      expect(page!.row.imageKey).toBeTruthy();
    }, 120_000);

    it('Files + OCR: POST /v1/files/{id}/ocr reads a file read from its text layer again, OCR forced', async () => {
      const form = new FormData();
      form.append('purpose', 'ocr');
      form.append('file', new Blob([Buffer.from(fixtures.textOnly.pdf)], { type: 'application/pdf' }), 'text.pdf');
      const up = await fetch(`${stack.api.url}/v1/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${stack.dev.apiKey}` } });
      const { id } = (await up.json()) as { id: string };
      const auto = await post(`/v1/files/${id}/ocr`, {});
      expect(auto.status).toBe(200);
      expect((await pagesOf(id))[0]!.result.source).toBe('text_layer');
      const again = await post(`/v1/files/${id}/ocr`, { force_ocr: true });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      const [page] = await pagesOf(id);
      forced(page!.result);
      expect((await stack.db.files.findById(id))?.status).toBe('COMPLETE');
      // Unknown values are refused as any bad field is.
      expect((await post(`/v1/files/${id}/ocr`, { force_ocr: 'yes' })).status).toBe(422);
    }, 180_000);

    it('docTR: POST /ocr?force_ocr=true', async () => {
      const form = new FormData();
      form.append('files', new Blob([Buffer.from(pdf())], { type: 'application/pdf' }), 'mixed.pdf');
      const res = await fetch(`${stack.api.url}/ocr?force_ocr=true`, { method: 'POST', body: form, headers: { authorization: `Bearer ${stack.dev.apiKey}` } });
      expect(res.status).toBe(200);
      const { items } = await stack.db.files.listForOrg(stack.dev.orgId, { limit: 1 });
      expect(items[0]!.forceOcr).toBe(true);
      forced((await pagesOf(items[0]!.id))[0]!.result);
    }, 120_000);

    it('Nanonets: LabelFile ?force_ocr=true, and auto without it', async () => {
      const label = async (query: string) => {
        const form = new FormData();
        form.append('file', new Blob([Buffer.from(pdf())], { type: 'application/pdf' }), 'mixed.pdf');
        const res = await fetch(`${stack.api.url}/api/v2/OCR/Model/${stack.dev.modelId}/LabelFile/${query}`, {
          method: 'POST',
          body: form,
          headers: { authorization: basicAuth(stack.dev.apiKey) },
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { result: Array<{ request_file_id: string }> };
        return (await pagesOf(body.result[0]!.request_file_id))[0]!.result;
      };
      forced(await label('?force_ocr=true'));
      expect((await label('')).source).toBe('mixed');
      const bad = await fetch(`${stack.api.url}/api/v2/OCR/Model/${stack.dev.modelId}/LabelFile/?force_ocr=maybe`, {
        method: 'POST',
        body: new FormData(),
        headers: { authorization: basicAuth(stack.dev.apiKey) },
      });
      expect(bad.status).toBe(400);
    }, 180_000);
  });

  it('Nanonets: a page read from its text layer has an image URL, the page-image route, which renders the image then keeps it', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(fixtures.textOnly.pdf)], { type: 'application/pdf' }), 'text.pdf');
    const res = await fetch(`${stack.api.url}/api/v2/OCR/Model/${stack.dev.modelId}/LabelFile/`, { method: 'POST', body: form, headers: { authorization: basicAuth(stack.dev.apiKey) } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: Array<{ request_file_id: string; id: string; file_url?: string }>; signed_urls: Record<string, { original: string }> };
    const entry = body.result[0]!;
    const [before] = await pagesOf(entry.request_file_id);
    expect(before!.result.source).toBe('text_layer');
    expect(before!.row.imageKey).toBeNull();
    const route = `/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/${entry.request_file_id}/page/${entry.id}/image`;
    expect(entry.file_url).toBe(route);
    expect(body.signed_urls[entry.id]!.original).toBe(route);

    const image = await fetch(`${stack.api.url}${entry.file_url}`, { headers: { authorization: basicAuth(stack.dev.apiKey) } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await image.arrayBuffer());
    expect(png.readUInt32BE(16)).toBe(before!.row.width);
    expect(png.readUInt32BE(20)).toBe(before!.row.height);
    // Kept: the page now has its image, handed out as a signed URL like any other.
    const [after] = await pagesOf(entry.request_file_id);
    expect(after!.row.imageKey).toBeTruthy();
    const again = await fetch(`${stack.api.url}/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/${entry.request_file_id}`, { headers: { authorization: basicAuth(stack.dev.apiKey) } });
    expect(JSON.stringify(await again.json())).not.toContain(route);
  }, 120_000);

  describe('GET /v1/files/{id}/export', () => {
    const get = (fileId: string, format: string, key = stack.dev.apiKey) =>
      fetch(`${stack.api.url}/v1/files/${fileId}/export?format=${format}`, { headers: { authorization: `Bearer ${key}` } });
    const pdftotext = (bytes: Uint8Array) => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'folio-export-')), 'out.pdf');
      writeFileSync(file, bytes);
      return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    };

    it('exports a scan with a text page as a searchable PDF pdftotext reads, and hOCR, text, Markdown and JSON', async () => {
      // An OCR'd scan gains invisible text at its words; a text-layer file (below) gains none.
      const pdf = fixtures.textOnly.pdf;
      const res = await ocrPdf(fixtures.scanOnly.pdf);
      const fileId = fileIdOf(res.body);
      const [scan] = await pagesOf(fileId);
      const scanWords = words(scan!.result).map((w) => w.text);

      const exported = await get(fileId, 'pdf');
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toBe('application/pdf');
      const bytes = new Uint8Array(await exported.arrayBuffer());
      const extracted = pdftotext(bytes).split(/\s+/).filter(Boolean);
      const found = scanWords.filter((w) => extracted.includes(w));
      expect(found.length / scanWords.length).toBeGreaterThanOrEqual(0.99);
      const textBytes = scanWords.join(' ').length;
      expect(bytes.length).toBeLessThanOrEqual(fixtures.scanOnly.pdf.length * 1.1 + textBytes + 4_000);

      // A page read from its text layer keeps exactly its own text.
      const text = await ocrPdf(pdf);
      const textPdf = new Uint8Array(await (await get(fileIdOf(text.body), 'pdf')).arrayBuffer());
      expect(pdftotext(textPdf)).toBe(pdftotext(pdf));

      const hocr = await (await get(fileId, 'hocr')).text();
      expect(hocr).toMatch(/class="ocr_page" id="page_1" title="bbox 0 0 \d+ \d+; ppageno 0; scan_res \d+ \d+"/);
      expect(hocr).toMatch(/class="ocrx_word" id="word_1_1" title="bbox \d+ \d+ \d+ \d+; x_wconf \d+"/);
      expect(await (await get(fileIdOf(text.body), 'txt')).text()).toContain(TYPOGRAPHIC_LINE);
      expect(await (await get(fileIdOf(text.body), 'md')).text()).toContain(LIGATURE_EXPANDED);
      const json = (await (await get(fileIdOf(text.body), 'json')).json()) as OcrPage[];
      expect(json[0]!.source).toBe('text_layer');
    }, 120_000);

    it('answers 409 with the progress while the file is not finished, 404 for another organization, 422 for a bad format', async () => {
      const openapi = await openApiValidator(stack.api.url);
      const file = await stack.db.files.create({ orgId: stack.dev.orgId, filename: 'pending.pdf' });
      const pending = await get(file.id, 'pdf');
      const body = await pending.json();
      expect(pending.status).toBe(409);
      expect(body).toMatchObject({ object: 'error', code: 'file_not_finished', processing: { file_id: file.id, status: 'queued' } });
      expect(openapi.check('filesExport', 409, body)).toEqual([]);

      const done = await ocrPdf(fixtures.textOnly.pdf);
      const org = await stack.db.organizations.create({ name: 'Other tenant' });
      const { plaintext } = await stack.db.apiKeys.create(org.id);
      const other = await get(fileIdOf(done.body), 'pdf', plaintext);
      expect(other.status).toBe(404);
      expect(openapi.check('filesExport', 404, await other.json())).toEqual([]);
      expect((await get(fileIdOf(done.body), 'docx')).status).toBe(422);
    }, 120_000);
  });
});
