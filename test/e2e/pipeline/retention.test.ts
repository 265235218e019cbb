import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeTextPdf, makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedKeys } from '../../../apps/api/test/support/leftovers.ts';
import { basicAuth, eventually, fileWhenFinal, startStack, type Stack } from '../../support/stack.ts';

/**
 * Retention: every file gets an expiry at creation (its organization's retention, set with
 * `folio org retention`, else FILE_RETENTION_DAYS), whatever route made it. Results stay readable,
 * as often as asked, until then; an expired or deleted file answers 404 on every route at once,
 * and the reaper removes its rows and objects, and the training objects of deleted models.
 * The test plays the clock by moving `expires_at` into the past; everything else is real.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DAY_MS = 86_400_000;

describe('retention', () => {
  let stack: Stack;
  let org: { id: string; slug: string; key: string; model: string };

  beforeAll(async () => {
    stack = await startStack({ FILE_RETENTION_DAYS: '7', REAP_INTERVAL_MS: '1500', RENDER_DPI: '150' });
    await stack.startWorker({ OCR_ENGINE: 'noop' });
    const o = await stack.db.organizations.create({ name: 'Short memory' });
    const model = await stack.db.models.create({ orgId: o.id, name: 'OCR' });
    const { plaintext } = await stack.db.apiKeys.create(o.id);
    org = { id: o.id, slug: o.slug, key: plaintext, model: model.id };
  }, 120_000);
  afterAll(() => stack?.close());

  const bearer = () => ({ authorization: `Bearer ${org.key}` });
  const basic = () => ({ authorization: basicAuth(org.key) });
  const nanonets = (p: string) => `${stack.api.url}/api/v2${p}`;

  it('is set per organization with `folio org retention`, for files of every route', async () => {
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'org', 'retention', '--org', org.slug, '--days', '2'], {
      cwd: repoRoot,
      env: { ...process.env, ...stack.env },
    });
    expect(run.stdout).toContain('retention:    2 days');
    expect((await stack.db.organizations.findById(org.id))?.retentionDays).toBe(2);

    const png = await makeTextPng(['Kept two days']);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(makeTextPdf([['Nanonets upload']]))], { type: 'application/pdf' }), 'n.pdf');
    const viaNanonets = await fetch(nanonets(`/OCR/Model/${org.model}/LabelFile/Async/`), { method: 'POST', body: form, headers: basic() });
    expect(viaNanonets.status).toBe(200);
    const files = new FormData();
    files.append('purpose', 'ocr');
    files.append('file', new Blob([Buffer.from(png)], { type: 'image/png' }), 'f.png');
    const viaFiles = await fetch(`${stack.api.url}/v1/files`, { method: 'POST', body: files, headers: bearer() });
    expect(viaFiles.status).toBe(200);
    const dataUrl = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
    const viaOcr = await fetch(`${stack.api.url}/v1/ocr`, {
      method: 'POST',
      body: JSON.stringify({ model: 'mistral-ocr-latest', document: { type: 'image_url', image_url: dataUrl } }),
      headers: { ...bearer(), 'content-type': 'application/json' },
    });
    expect(viaOcr.status).toBe(200);
    const viaNim = await fetch(`${stack.api.url}/v1/infer`, {
      method: 'POST',
      body: JSON.stringify({ input: [{ type: 'image_url', url: dataUrl }] }),
      headers: { ...bearer(), 'content-type': 'application/json' },
    });
    expect(viaNim.status).toBe(200);

    const rows = await stack.db.prisma.file.findMany({ where: { orgId: org.id } });
    expect(rows.map((r) => r.purpose).sort()).toEqual(['nim', 'ocr', 'ocr', 'ocr_request']);
    for (const row of rows) {
      expect(Math.abs(row.expiresAt!.getTime() - row.createdAt.getTime() - 2 * DAY_MS)).toBeLessThan(60_000);
    }
    // The development organization sets none: the deployment default (7 days here).
    const devForm = new FormData();
    devForm.append('file', new Blob([Buffer.from(png)], { type: 'image/png' }), 'd.png');
    const dev = await fetch(nanonets(`/OCR/Model/${stack.dev.modelId}/LabelFile/Async/`), { method: 'POST', body: devForm, headers: { authorization: basicAuth(stack.dev.apiKey) } });
    const devId = ((await dev.json()) as { result: Array<{ request_file_id: string }> }).result[0]!.request_file_id;
    const devRow = (await stack.db.files.findById(devId))!;
    expect(Math.abs(devRow.expiresAt!.getTime() - devRow.createdAt.getTime() - 7 * DAY_MS)).toBeLessThan(60_000);
    for (const row of rows) await fileWhenFinal(stack, row.id, 60_000);
  }, 120_000);

  it('keeps results readable until expiry, as often as asked; then 404 everywhere and the reaper removes everything', async () => {
    const rows = await stack.db.prisma.file.findMany({ where: { orgId: org.id } });
    const nanonetsFile = rows.find((r) => r.modelId === org.model)!;
    const filesApiFile = rows.find((r) => r.purpose === 'ocr' && r.modelId === null)!;
    const [page] = await stack.db.pages.listByFile(nanonetsFile.id);
    const day = Math.floor(Date.now() / DAY_MS);

    // Read twice: no single-read semantics.
    for (let i = 0; i < 2; i++) {
      const read = await fetch(nanonets(`/Inferences/Model/${org.model}/InferenceRequest/${nanonetsFile.id}`), { headers: basic() });
      expect(read.status).toBe(200);
      const ocr = await fetch(`${stack.api.url}/v1/files/${filesApiFile.id}/ocr`, { method: 'POST', body: '{}', headers: { ...bearer(), 'content-type': 'application/json' } });
      expect(ocr.status).toBe(200);
    }

    // A training image of a model that is then deleted.
    const doomedModel = await stack.db.models.create({ orgId: org.id, name: 'Doomed' });
    const training = new FormData();
    training.append('file', new Blob([Buffer.from(await makeTextPng(['Train me']))], { type: 'image/png' }), 't.png');
    training.append('data', JSON.stringify([{ filename: 't.png', object: [] }]));
    const uploaded = await fetch(nanonets(`/OCR/Model/${doomedModel.id}/UploadFile/`), { method: 'POST', body: training, headers: basic() });
    expect(uploaded.status).toBe(200);
    expect((await storedKeys(stack)).some((k) => k.includes(`/models/${doomedModel.id}/training/`))).toBe(true);
    expect(await stack.db.models.delete(doomedModel.id, org.id)).toBe(true);

    // The clock moves past the expiry of every file of the organization.
    await stack.db.prisma.file.updateMany({ where: { orgId: org.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });

    // Gone at once on every route, before the reaper has run.
    const gone: Array<[string, string, RequestInit?]> = [
      ['Nanonets file', nanonets(`/Inferences/Model/${org.model}/InferenceRequest/${nanonetsFile.id}`), { headers: basic() }],
      ['Nanonets page', nanonets(`/Inferences/Model/${org.model}/InferenceRequest/${nanonetsFile.id}/page/${page!.id}`), { headers: basic() }],
      ['Files retrieve', `${stack.api.url}/v1/files/${filesApiFile.id}`, { headers: bearer() }],
      ['Files content', `${stack.api.url}/v1/files/${filesApiFile.id}/content`, { headers: bearer() }],
      ['Files url', `${stack.api.url}/v1/files/${filesApiFile.id}/url`, { headers: bearer() }],
      ['Files ocr', `${stack.api.url}/v1/files/${filesApiFile.id}/ocr`, { method: 'POST', body: '{}', headers: { ...bearer(), 'content-type': 'application/json' } }],
      ['Files delete', `${stack.api.url}/v1/files/${filesApiFile.id}`, { method: 'DELETE', headers: bearer() }],
      [
        '/v1/ocr by file id',
        `${stack.api.url}/v1/ocr`,
        { method: 'POST', body: JSON.stringify({ model: 'm', document: { type: 'file', file_id: filesApiFile.id } }), headers: { ...bearer(), 'content-type': 'application/json' } },
      ],
    ];
    for (const [what, url, init] of gone) {
      const res = await fetch(url, init);
      expect(res.status, what).toBe(404);
    }
    const list = await fetch(`${stack.api.url}/v1/files`, { headers: bearer() });
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
    const window = await fetch(nanonets(`/Inferences/Model/${org.model}/InferenceRequest/?start_day_interval=1&current_batch_day=${day}`), { headers: basic() });
    expect(((await window.json()) as { unmoderated_images_count: number }).unmoderated_images_count).toBe(0);

    // The reaper (every 1.5 s here) removes rows and objects, and the deleted model's training images.
    await eventually(
      async () => ((await stack.db.prisma.file.count({ where: { orgId: org.id } })) === 0 ? true : undefined),
      60_000,
      'the reaper to remove the expired files',
    );
    await eventually(
      async () => {
        const keys = await storedKeys(stack);
        return keys.some((k) => k.startsWith(`orgs/${org.id}/`)) ? undefined : true;
      },
      60_000,
      'the reaper to remove every object of the organization',
    );
    expect(await stack.db.prisma.page.count({ where: { orgId: org.id } })).toBe(0);
    // The development organization's file is not expired: untouched.
    expect(await stack.db.prisma.file.count({ where: { orgId: stack.dev.orgId } })).toBe(1);
    expect((await storedKeys(stack)).some((k) => k.startsWith(`orgs/${stack.dev.orgId}/`))).toBe(true);
  }, 150_000);

  it('`--reapply` re-dates existing files; a deleted file is 404 and reaped too', async () => {
    const before = (await stack.db.prisma.file.findFirst({ where: { orgId: stack.dev.orgId } }))!;
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'org', 'retention', '--org', 'development', '--days', '1', '--reapply'], {
      cwd: repoRoot,
      env: { ...process.env, ...stack.env },
    });
    expect(run.stdout).toContain('re-dated:     1 existing files');
    const after = (await stack.db.files.findById(before.id))!;
    expect(after.expiresAt!.getTime() - after.createdAt.getTime()).toBe(DAY_MS);

    const del = await fetch(`${stack.api.url}/v1/files/${before.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.dev.apiKey}` } });
    expect(del.status).toBe(200);
    const read = await fetch(nanonets(`/Inferences/Model/${stack.dev.modelId}/InferenceRequest/${before.id}`), { headers: { authorization: basicAuth(stack.dev.apiKey) } });
    expect(read.status).toBe(404);
    await eventually(async () => ((await stack.db.files.findById(before.id)) ? undefined : true), 60_000, 'the deleted file to be reaped');
    await eventually(async () => ((await storedKeys(stack)).some((k) => k.includes(before.id)) ? undefined : true), 60_000, 'its objects to be removed');
  }, 120_000);
});
