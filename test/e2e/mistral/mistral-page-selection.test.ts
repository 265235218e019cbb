import { makeTextPdf } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedKeys } from '../../../apps/api/test/support/leftovers.ts';
import { startStack, type Stack } from '../../support/stack.ts';
import { dataUrl, raw, squash } from '../../../apps/api/test/mistral/mistral.support.ts';

/** `pages` of `POST /v1/ocr` limits the work: pages outside it are never rendered or recognised. */
describe('Files + OCR page selection', () => {
  let stack: Stack;

  beforeAll(async () => {
    // TEXT_LAYER=off: the pages must be rendered, so the stored page images show the work done.
    stack = await startStack({ TEXT_LAYER: 'off' });
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a 3-page PDF with pages [1, 2] processes 2 pages', async () => {
    const pdf = makeTextPdf([['First page alpha'], ['Second page bravo'], ['Third page charlie']], { fontSize: 28 });
    const res = await raw(stack, 'POST', '/v1/ocr', {
      json: { model: 'mistral-ocr-latest', document: { type: 'document_url', document_url: dataUrl(pdf, 'application/pdf') }, pages: [1, 2] },
    });
    expect(res.status).toBe(200);
    const pages = res.body.pages as Array<{ index: number; markdown: string }>;
    expect(pages.map((p) => p.index)).toEqual([1, 2]);
    expect(squash(pages[0]!.markdown)).toContain('BRAVO');
    expect(res.body.usage_info).toMatchObject({ pages_processed: 2 });

    const file = await stack.db.prisma.file.findFirstOrThrow({ where: { purpose: 'ocr_request' } });
    expect(file).toMatchObject({ pageCount: 3, status: 'COMPLETE', pageSelection: [[1, 1], [2, 2]] });
    const rows = await stack.db.prisma.page.findMany({ where: { fileId: file.id }, orderBy: { index: 'asc' } });
    expect(rows.map((p) => [p.index, p.status])).toEqual([
      [1, 'DONE'],
      [2, 'DONE'],
    ]);
    const images = (await storedKeys(stack)).filter((k) => k.startsWith(`orgs/${file.orgId}/files/${file.id}/pages/`));
    expect(images.map((k) => k.split('/').pop())).toEqual(['00001.png', '00002.png']);
  });
});
