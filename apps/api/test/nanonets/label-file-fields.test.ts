import { makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startStack, type Stack } from '../support/stack.ts';

describe('LabelFile form fields sent after the file', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  it('async=true as a trailing form field makes the stored file async', async () => {
    const png = await makeTextPng(['Trailing fields']);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(png)], { type: 'image/png' }), 'late.png');
    form.append('async', 'true');
    form.append('request_metadata', 'late-fields');
    const res = await fetch(`${stack.api.url}/api/v2/OCR/Model/${stack.dev.modelId}/LabelFile/`, {
      method: 'POST',
      headers: { authorization: basicAuth(stack.dev.apiKey) },
      body: form,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: Array<{ request_file_id: string; processing_type: string; request_metadata: string }> };
    expect(body.result[0]).toMatchObject({ processing_type: 'async', request_metadata: 'late-fields' });
    const row = await stack.db.files.findById(body.result[0]!.request_file_id);
    expect(row).toMatchObject({ processingType: 'ASYNC', priority: expect.any(Number), requestMetadata: 'late-fields' });
    const syncRow = await stack.db.prisma.file.findFirst({ where: { processingType: 'SYNC' } });
    expect(syncRow).toBeNull();
  });
});
