import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Mistral } from '@mistralai/mistralai';
import { MistralError } from '@mistralai/mistralai/models/errors';
import type { Stack } from '../support/stack.ts';

/** The official SDK pointed at the stack's API. */
export function sdkFor(stack: Stack, apiKey = stack.dev.apiKey): Mistral {
  return new Mistral({ apiKey, serverURL: stack.api.url });
}

export const dataUrl = (bytes: Uint8Array, type: string) => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;

/** What a call refused with: status and parsed body (the SDK keeps the raw body as text). */
export async function refusal(call: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof MistralError) return { status: err.statusCode, body: JSON.parse(err.body) as Record<string, unknown> };
    throw err;
  }
  throw new Error('expected the call to be refused');
}

/** A raw request to the API (for what the SDK cannot express); JSON bodies are stringified. */
export async function raw(
  stack: Stack,
  method: string,
  path: string,
  init: { json?: unknown; body?: BodyInit; headers?: Record<string, string>; auth?: string | null } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== null) headers.authorization = init.auth ?? `Bearer ${stack.dev.apiKey}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${stack.api.url}${path}`, {
    method,
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** An HTTP server on 127.0.0.1 serving fixed documents by path (404 otherwise). */
export async function serveDocuments(docs: Record<string, { bytes: Uint8Array; type: string }>): Promise<{ url: (path: string) => string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const doc = docs[req.url ?? ''];
    if (!doc) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': doc.type, 'content-length': String(doc.bytes.length) }).end(Buffer.from(doc.bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads a web stream (the SDK's download) to bytes. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

/** Upper-cased letters and digits only: OCR may drop spaces or punctuation, never the words. */
export const squash = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, '');
