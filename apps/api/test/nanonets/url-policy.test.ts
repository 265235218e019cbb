import { makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFileServer, type FileServer } from '../support/file-server.ts';
import { leavesNothing } from '../support/leftovers.ts';
import { nanonetsHttp, type NanonetsHttp } from '../support/nanonets.http.ts';
import { startStack, type Stack } from '../support/stack.ts';

/** The default deployment: no URL_ALLOW_PRIVATE, so loopback, private and link-local hosts are refused. */
describe('URL inputs without an allow-list', () => {
  let stack: Stack;
  let files: FileServer;
  let api: NanonetsHttp;

  beforeAll(async () => {
    files = await startFileServer({ '/a.png': { body: await makeTextPng(['x']), type: 'image/png' } });
    stack = await startStack();
    api = nanonetsHttp(stack.api.url, stack.dev.apiKey);
  });
  afterAll(async () => {
    await stack?.close();
    await files?.close();
  });

  const hosts = () => [
    `${files.url}/a.png`,
    'http://localhost:8080/a.png',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3/a.png',
    'http://[::1]/a.png',
    'http://0x7f000001/a.png',
  ];

  for (const route of ['LabelUrls/', 'LabelUrls/Async/', 'UploadUrls/']) {
    it(`${route} refuses each private address with 400 before recording or fetching anything`, async () => {
      for (const url of hosts()) {
        const { result, before, after } = await leavesNothing(stack, () =>
          api.postJson<{ code: number; reason: string; message: string }>(`/OCR/Model/${stack.dev.modelId}/${route}`, { urls: [url] }),
        );
        expect(result.status, url).toBe(400);
        expect(result.body.reason).toBe('url_forbidden_address');
        expect(after).toEqual(before);
      }
      expect(files.hits).toEqual([]);
    });
  }
});
