import { basicAuth } from './stack.ts';

/** A thin client for the Nanonets routes as an app would call them (fetch + FormData). */
export function nanonetsClient(baseUrl: string, apiKey: string, modelId: string) {
  const auth = { authorization: basicAuth(apiKey) };
  return {
    async labelFile(files: Array<{ name: string; bytes: Uint8Array; type: string }>, opts: { async?: boolean; fields?: Record<string, string> } = {}) {
      const form = new FormData();
      for (const f of files) form.append('file', new Blob([Buffer.from(f.bytes)], { type: f.type }), f.name);
      for (const [k, v] of Object.entries(opts.fields ?? {})) form.append(k, v);
      const route = opts.async ? 'LabelFile/Async/' : 'LabelFile/';
      const res = await fetch(`${baseUrl}/api/v2/OCR/Model/${modelId}/${route}`, { method: 'POST', body: form, headers: auth });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> & { result?: Array<Record<string, unknown>> } };
    },
    async inferenceFile(requestFileId: string) {
      const res = await fetch(`${baseUrl}/api/v2/Inferences/Model/${modelId}/InferenceRequest/${requestFileId}`, { headers: auth });
      return { status: res.status, body: (await res.json()) as InferenceFileBody };
    },
    async inferencePage(requestFileId: string, pageId: string) {
      const res = await fetch(`${baseUrl}/api/v2/Inferences/Model/${modelId}/InferenceRequest/${requestFileId}/page/${pageId}`, { headers: auth });
      return { status: res.status, body: (await res.json()) as InferenceFileBody };
    },
  };
}

export interface InferencePage {
  id: string;
  page: number;
  status: string;
  is_moderated: boolean;
  moderation_state: string;
  day_since_epoch: number;
  predicted_boxes: Array<{ ocr_text: string; xmin: number; ymin: number; xmax: number; ymax: number; score: number; page_no: number }>;
  moderated_boxes: Array<{ id: string; ocr_text: string; status: string; score: number }>;
}

export interface InferenceFileBody {
  status: string;
  pages_total: number;
  pages_done: number;
  pages_failed: number;
  moderated_images_count: number;
  unmoderated_images_count: number;
  moderated_images: InferencePage[];
  unmoderated_images: InferencePage[];
}

/** Words of a page's boxes, lower-cased, for "the text is there" checks that ignore line breaks. */
export function pageWords(page: InferencePage): string[] {
  return page.predicted_boxes.flatMap((b) => b.ocr_text.toLowerCase().split(/\s+/)).filter(Boolean);
}
