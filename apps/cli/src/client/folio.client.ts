import { openAsBlob } from 'node:fs';
import path from 'node:path';
import {
  fileProgressSchema,
  mistralFileSchema,
  mistralOcrResponseSchema,
  readSse,
  type FileProgressView,
  type FileStreamEvent,
  type MistralFile,
  type MistralOcrResponse,
} from '@folio/contracts';
import type { ClientSettings } from './client.settings.ts';

/** An answer other than 2xx, with the server's message. */
export class FolioApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'FolioApiError';
  }
}

/** A retrieved file: the Files API object with Folio's `processing` progress. */
export type FileWithProgress = MistralFile & { processing: FileProgressView };

/** One event of a file's progress stream. */
export interface ProgressEvent {
  event: FileStreamEvent;
  progress: FileProgressView;
}

async function failure(res: Response): Promise<FolioApiError> {
  const text = await res.text();
  let message = text.slice(0, 500) || res.statusText;
  try {
    const body = JSON.parse(text) as { message?: unknown; detail?: unknown; error?: { message?: unknown } };
    if (typeof body.message === 'string') message = body.message;
    else if (typeof body.error?.message === 'string') message = body.error.message;
    else if (Array.isArray(body.detail)) message = body.detail.map((d: { msg?: string }) => d.msg ?? '').join('; ');
  } catch {
    // Not JSON: the text is the message.
  }
  return new FolioApiError(res.status, `HTTP ${res.status}: ${message}`);
}

/** The Files API calls the CLI makes, over `fetch`. */
export function createFolioClient(settings: ClientSettings) {
  const headers = { authorization: `Bearer ${settings.apiKey}` };
  const call = async (method: string, route: string, init: { body?: FormData | string; signal?: AbortSignal } = {}): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(`${settings.url}${route}`, {
        method,
        headers: typeof init.body === 'string' ? { ...headers, 'content-type': 'application/json' } : headers,
        ...(init.body !== undefined ? { body: init.body } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      });
    } catch (err) {
      if (init.signal?.aborted) throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach Folio at ${settings.url}: ${cause?.code ?? cause?.message ?? String(err)}`);
    }
    if (!res.ok) throw await failure(res);
    return res;
  };

  return {
    /** `POST /v1/files`: streams the file up; OCR starts at once (async). */
    async upload(file: string): Promise<MistralFile> {
      const form = new FormData();
      form.append('purpose', 'ocr');
      form.append('file', await openAsBlob(file), path.basename(file));
      return mistralFileSchema.parse(await (await call('POST', '/v1/files', { body: form })).json());
    },

    /** `GET /v1/files/{id}` with its progress. */
    async retrieve(id: string): Promise<FileWithProgress> {
      const body = mistralFileSchema.parse(await (await call('GET', `/v1/files/${encodeURIComponent(id)}`)).json());
      return { ...body, processing: fileProgressSchema.parse(body.processing) };
    },

    /** `GET /v1/files/{id}/events`: progress events until the final one (then the server closes). */
    async *events(id: string, signal?: AbortSignal): AsyncGenerator<ProgressEvent> {
      const res = await call('GET', `/v1/files/${encodeURIComponent(id)}/events`, signal ? { signal } : {});
      if (!res.body) return;
      for await (const message of readSse(res.body as unknown as AsyncIterable<Uint8Array>)) {
        if (message.kind !== 'event') continue;
        yield { event: message.event as FileStreamEvent, progress: fileProgressSchema.parse(JSON.parse(message.data)) };
      }
    },

    /** `POST /v1/files/{id}/ocr`: every page's result of a finished file. */
    async ocr(id: string): Promise<MistralOcrResponse> {
      return mistralOcrResponseSchema.parse(await (await call('POST', `/v1/files/${encodeURIComponent(id)}/ocr`, { body: '{}' })).json());
    },
  };
}

export type FolioClient = ReturnType<typeof createFolioClient>;
