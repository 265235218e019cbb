/**
 * Body of one render thread (started by render.pool.ts only): opens originals with
 * @folio/documents, reads the asked page's text layer (PDFs, unless OCR is forced), and renders
 * and encodes it as PNG unless the text layer alone reads it. Runs apart from the worker's
 * event loop, so a page that renders forever (or blows up) is cut off by terminating this
 * thread, while the worker keeps renewing its job locks and serving other pages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodePageImage, isDocumentError, openDocument, preloadPdfRenderer, type DocumentSource } from '@folio/documents';
import type { RenderFailure, RenderRequest, RenderResponse, RenderThreadData } from './render.messages.ts';

const port = parentPort;
if (!port) throw new Error('render.thread.ts must run in a worker thread');
const { limits, cacheSize, compressionLevel } = workerData as RenderThreadData;
const documents = new Map<string, Promise<DocumentSource>>();

async function open(key: string, bytes: Uint8Array): Promise<DocumentSource> {
  const opening = openDocument(bytes, limits);
  documents.set(key, opening);
  opening.catch(() => documents.delete(key));
  while (documents.size > cacheSize) {
    const oldest = documents.keys().next().value as string;
    const doc = documents.get(oldest);
    documents.delete(oldest);
    void doc?.then((d) => d.close()).catch(() => undefined);
  }
  return opening;
}

function failure(err: unknown): RenderFailure {
  if (isDocumentError(err)) return { name: 'DocumentError', refusal: err.refusal, message: err.message };
  return { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) };
}

const reply = (msg: RenderResponse, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

port.on('message', (msg: RenderRequest) => {
  void (async () => {
    try {
      let doc = documents.get(msg.key);
      if (doc) {
        // Most recently used last.
        documents.delete(msg.key);
        documents.set(msg.key, doc);
      } else if (msg.bytes) {
        doc = open(msg.key, msg.bytes);
      } else {
        reply({ type: 'need-bytes', id: msg.id });
        return;
      }
      const opened = await doc;
      // The text layer decides whether OCR needs the pixels at all: a page read from it is not rendered.
      const layer = msg.textLayer && opened.readTextLayer ? await opened.readTextLayer(msg.index, { dpi: msg.dpi }) : undefined;
      if (layer?.verdict.source === 'text_layer') {
        reply({ type: 'rendered', id: msg.id, png: undefined, layer, width: layer.width, height: layer.height, dpi: layer.dpi });
        return;
      }
      const raster = await opened.renderPage(msg.index, { dpi: msg.dpi, grayWhenNeutral: true });
      // Neutral-gray pages are stored with one channel (lossless), at a fast compression level.
      const png = new Uint8Array(await encodePageImage(raster, { compressionLevel }));
      reply({ type: 'rendered', id: msg.id, png, layer, width: raster.width, height: raster.height, dpi: raster.dpi }, [png.buffer as ArrayBuffer]);
    } catch (err) {
      reply({ type: 'error', id: msg.id, error: failure(err) });
    }
  })();
});

// The deadline of a page starts once the thread is ready: loading pdfjs is not the page's time.
await preloadPdfRenderer();
reply({ type: 'ready' });
