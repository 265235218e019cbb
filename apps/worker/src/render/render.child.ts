/**
 * Body of one render process (forked by render.pool.ts only): opens originals with
 * @folio/documents, reads the asked page's text layer (PDFs, unless OCR is forced), and renders
 * and encodes it as PNG unless the text layer alone reads it (a mixed page: its image regions
 * alone, packed on one sheet). A process of its own, not a
 * thread: pdfjs and canvas allocate native memory that no `resourceLimits` bounds and that
 * terminating a thread does not give back, so a page that renders forever or grows without end
 * is cut off by killing this process — which returns every byte — while the worker keeps
 * renewing its job locks and serving other pages.
 */
import { encodePageImage, isDocumentError, openDocument, openPdfBudgetCheck, preloadPdfRenderer, type DocumentSource, type PdfBudgetCheck } from '@folio/documents';
import { packRegions } from '@folio/ocr/region-sheet';
import type { RenderFailure, RenderRequest, RenderResponse, RenderThreadData } from './render.messages.ts';

const send = process.send?.bind(process);
if (!send) throw new Error('render.child.ts must run as a forked child process');
const { limits, cacheSize, compressionLevel, budget } = JSON.parse(process.env['FOLIO_RENDER_DATA'] ?? '{}') as RenderThreadData;
const documents = new Map<string, Promise<DocumentSource>>();
/** Page budgets of the cached PDFs (same keys as `documents`), judged from the raw objects. */
const budgets = new Map<string, Promise<PdfBudgetCheck | undefined>>();

async function open(key: string, bytes: Uint8Array): Promise<DocumentSource> {
  const opening = openDocument(bytes, limits);
  documents.set(key, opening);
  budgets.set(key, opening.then((d) => (d.type === 'pdf' ? openPdfBudgetCheck(bytes, budget) : undefined)).catch(() => undefined));
  opening.catch(() => documents.delete(key));
  while (documents.size > cacheSize) {
    const oldest = documents.keys().next().value as string;
    const doc = documents.get(oldest);
    documents.delete(oldest);
    budgets.delete(oldest);
    void doc?.then((d) => d.close()).catch(() => undefined);
  }
  return opening;
}

function failure(err: unknown): RenderFailure {
  if (isDocumentError(err)) return { name: 'DocumentError', refusal: err.refusal, message: err.message };
  return { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) };
}

const reply = (msg: RenderResponse) => send(msg);
// The worker went away (killed, crashed): nobody will ever ask again.
process.on('disconnect', () => process.exit(0));

process.on('message', (msg: RenderRequest) => {
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
      // A page over budget is refused before pdfjs parses its content: parsing is what costs the memory.
      const excess = (await budgets.get(msg.key))?.check(msg.index);
      if (excess) {
        reply({ type: 'error', id: msg.id, error: { name: 'RenderBudgetError', message: `page ${msg.index + 1} is over its ${excess.budget} budget`, budget: excess } });
        return;
      }
      // The text layer decides whether OCR needs the pixels at all: a page read from it is not rendered.
      const layer = msg.textLayer && opened.readTextLayer ? await opened.readTextLayer(msg.index, { dpi: msg.dpi }) : undefined;
      if (layer?.verdict.source === 'text_layer') {
        reply({ type: 'rendered', id: msg.id, png: undefined, layer, width: layer.width, height: layer.height, dpi: layer.dpi });
        return;
      }
      // A mixed page needs the pixels of its image regions only: rendered alone (mostly scaled
      // from the images' own samples) and packed on the sheet recognize reads, as the CLI does.
      // Regions too large for a sheet need the whole page, as before.
      if (layer?.verdict.source === 'mixed' && opened.renderRegions) {
        const regions = await opened.renderRegions(msg.index, layer.verdict.imageRegions, { dpi: msg.dpi });
        const packed = packRegions(regions, Math.max(layer.width, layer.height));
        if (packed) {
          const png = packed.slots.length > 0 ? new Uint8Array(await encodePageImage({ ...packed.sheet, dpi: layer.dpi }, { compressionLevel })) : undefined;
          const sheet = { png, slots: packed.slots };
          reply({ type: 'rendered', id: msg.id, png: undefined, sheet, layer, width: layer.width, height: layer.height, dpi: layer.dpi });
          return;
        }
      }
      const raster = await opened.renderPage(msg.index, { dpi: msg.dpi, grayWhenNeutral: true });
      // Neutral-gray pages are stored with one channel (lossless), at a fast compression level.
      const png = new Uint8Array(await encodePageImage(raster, { compressionLevel }));
      reply({ type: 'rendered', id: msg.id, png, layer, width: raster.width, height: raster.height, dpi: raster.dpi });
    } catch (err) {
      reply({ type: 'error', id: msg.id, error: failure(err) });
    }
  })();
});

// The deadline of a page starts once the process is ready: loading pdfjs is not the page's time.
await preloadPdfRenderer();
reply({ type: 'ready' });
