import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsHttp, type NanonetsHttp } from '../../../apps/api/test/support/nanonets.http.ts';
import { openApiValidator, type OpenApiValidator } from '../../../apps/api/test/support/openapi.validator.ts';
import { FONT, label, lineBox, PAD, WIDTH } from '../../support/shipping-labels.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * A custom model learns a document type nothing in Folio knows: shipping labels with a sender, a
 * tracking number and a weight (test/support/shipping-labels.ts). Annotations are as loose as a
 * user's: the box is the whole line, `ocr_text` only the value.
 */
interface ModelObject {
  model_id: string;
  status: string;
  serving_version: number | null;
  categories: Array<{ name: string; count: number; accuracy: { f1: number } | null }>;
  training_runs: Array<{ training_run_id: string; state: string; data: { ocr_cached: number; documents: number } | null }>;
}

describe('custom model: annotate, train on the train queue, predict fields (real API, worker and engine)', () => {
  let stack: Stack;
  let api: NanonetsHttp;
  let openapi: OpenApiValidator;
  let model: string;
  const train = Array.from({ length: 12 }, (_, i) => label(100 + i));
  const held = [label(900), label(901)];

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    api = nanonetsHttp(stack.api.url, stack.dev.apiKey);
    openapi = await openApiValidator(stack.api.url);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const waitTrained = (runs: number) =>
    eventually(
      async () => {
        const res = await api.get<ModelObject>(`/OCR/Model/${model}`);
        const run = res.body.training_runs[0];
        if (run?.state === 'failed') throw new Error(JSON.stringify(run));
        return res.body.training_runs.length === runs && run?.state === 'succeeded' ? res.body : undefined;
      },
      400_000,
      'training run',
    );

  it('trains on annotated labels and answers their fields on a label it never saw', async () => {
    const created = await api.postJson<ModelObject>('/OCR/Model/', { categories: ['sender', 'tracking_number', 'weight'], model_type: 'ocr' });
    expect(created.status).toBe(200);
    model = created.body.model_id;
    const images = await Promise.all(train.map((l) => makeTextPng(l.lines, { fontSize: FONT, padding: PAD, width: WIDTH })));
    const data = train.map((l, i) => ({
      filename: `label-${i}.png`,
      object: (['sender', 'tracking_number', 'weight'] as const).map((name) => ({ name, ocr_text: l.values[name], bndbox: lineBox(l.rows[name]) })),
    }));
    const up = await api.postMultipart(
      `/OCR/Model/${model}/UploadFile/`,
      images.map((bytes, i) => ({ name: `label-${i}.png`, bytes, type: 'image/png' })),
      { data: JSON.stringify(data) },
    );
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    const started = await api.postJson<{ training_run_id: string }>(`/OCR/Model/${model}/Train/`, {});
    expect(started.status).toBe(200);

    const trained = await waitTrained(1);
    expect(openapi.check('nanonetsGetModel', 200, trained)).toEqual([]);
    expect(trained).toMatchObject({ status: 'trained', serving_version: 1 });
    expect(trained.categories.map((c) => [c.name, c.count])).toEqual([
      ['sender', 12],
      ['tracking_number', 12],
      ['weight', 12],
    ]);
    expect(trained.training_runs[0]?.data).toMatchObject({ documents: 12, ocr_cached: 0 });
    for (const c of trained.categories) expect(c.accuracy).not.toBeNull();

    for (const l of held) {
      const png = await makeTextPng(l.lines, { fontSize: FONT, padding: PAD, width: WIDTH });
      const res = await api.postMultipart<{ result: Array<{ prediction: Array<{ label: string; ocr_text: string; score: number; type: string }> }> }>(
        `/OCR/Model/${model}/LabelFile/`,
        [{ name: 'label.png', bytes: png, type: 'image/png' }],
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(openapi.check('nanonetsLabelFile', 200, res.body)).toEqual([]);
      const fields = res.body.result[0]!.prediction;
      // Compared without spaces: the engine may split a word where the font spaces it widely.
      const value = (name: string) => fields.find((f) => f.label === name)?.ocr_text.replace(/\s+/g, '');
      expect(value('tracking_number')).toBe(l.values.tracking_number);
      expect(value('weight')).toBe(l.values.weight);
      expect(value('sender')).toBe(l.values.sender.replace(/\s+/g, ''));
      for (const f of fields) {
        expect(f.score).toBeGreaterThanOrEqual(0);
        expect(f.score).toBeLessThanOrEqual(1);
      }
    }
  }, 600_000);

  it('retraining reads the cached OCR and serves a second version', async () => {
    const res = await api.postJson<{ training_run_id: string }>(`/OCR/Model/${model}/Train/`, {});
    expect(res.status).toBe(200);
    const trained = await waitTrained(2);
    expect(trained).toMatchObject({ status: 'trained', serving_version: 2 });
    expect(trained.training_runs[0]?.data).toMatchObject({ documents: 12, ocr_cached: 12 });
  }, 600_000);

  it('a run that crashes on every attempt ends FAILED with its typed reason, and version 2 keeps serving', async () => {
    // One more image, then its object vanishes from S3 before the run reads it: every attempt fails.
    const extra = label(555);
    const png = await makeTextPng(extra.lines, { fontSize: FONT, padding: PAD, width: WIDTH });
    const data = [{ filename: 'lost.png', object: [{ name: 'weight', ocr_text: extra.values.weight, bndbox: lineBox(extra.rows.weight) }] }];
    const up = await api.postMultipart<{ images: Array<{ id: string }> }>(`/OCR/Model/${model}/UploadFile/`, [{ name: 'lost.png', bytes: png, type: 'image/png' }], { data: JSON.stringify(data) });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    const image = (await stack.db.training.listImages(model, stack.dev.orgId, { limit: 100 })).find((i) => i.filename === 'lost.png');
    const bucket = path.join(stack.env.FOLIO_HOME as string, 's3', stack.config.S3_BUCKET);
    const objectFiles = (await readdir(bucket, { recursive: true })).filter((f) => f.split(path.sep).join('/').startsWith(image!.storageKey));
    expect(objectFiles.length).toBeGreaterThan(0);
    for (const f of objectFiles) await rm(path.join(bucket, f), { force: true });

    const res = await api.postJson<{ training_run_id: string }>(`/OCR/Model/${model}/Train/`, {});
    expect(res.status).toBe(200);
    const failed = await eventually(
      async () => {
        const m = await api.get<ModelObject & { training_runs: Array<{ state: string; failure: { code: string; attempts?: number } | null; message: string | null }> }>(`/OCR/Model/${model}`);
        return m.body.training_runs[0]?.state === 'failed' ? m.body : undefined;
      },
      300_000,
      'the run to fail',
    );
    expect(openapi.check('nanonetsGetModel', 200, failed)).toEqual([]);
    expect(failed.training_runs[0]).toMatchObject({ training_run_id: res.body.training_run_id, failure: { code: 'training_crashed', attempts: stack.config.JOB_ATTEMPTS } });
    expect(failed.training_runs[0]?.message).toMatch(/^Training failed on each of \d+ attempts: /);
    expect(failed).toMatchObject({ status: 'trained', serving_version: 2 });
    const read = await api.postMultipart<{ result: Array<{ prediction: Array<{ label: string; ocr_text: string }> }> }>(`/OCR/Model/${model}/LabelFile/`, [{ name: 'label.png', bytes: png, type: 'image/png' }]);
    expect(read.status).toBe(200);
    expect(read.body.result[0]!.prediction.find((p) => p.label === 'weight')?.ocr_text.replace(/\s+/g, '')).toBe(extra.values.weight);
  }, 600_000);
});
