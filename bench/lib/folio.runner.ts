import { readFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import { encodePng, openDocument } from '@folio/documents';
import { createOcrEngine, pageToText, type EngineOptions, type OcrPage } from '@folio/ocr';
import { readPage } from '../../apps/cli/src/commands/ocr.read-page.ts';
import type { EvalUnit } from './eval-units.ts';
import { detectionRecall, type Recall } from './det-recall.ts';

export interface UnitResult {
  text: string;
  /** Seconds, file read to text. */
  wall: number;
  /** CPU seconds of this process over the same span (all threads, ONNX included). */
  cpu: number;
  /** Detection recall against the unit's gt.json boxes (Folio only). */
  recall?: Recall | undefined;
}

export interface FolioRunner {
  run(unit: EvalUnit): Promise<UnitResult>;
  close(): Promise<void>;
}

/**
 * Folio in this process, as the CLI runs it: one engine (models loaded once), each unit
 * opened with @folio/documents, its page rendered straight to pixels at `dpi` (PDF) and
 * recognized; the text is `pageToText`, the CLI's `--format text`. With `ocr: 'auto'` a PDF page
 * is read as the pipeline reads it: from its text layer when it can be trusted (`folio ocr`'s default).
 */
export async function createFolioRunner(options: { engine: EngineOptions; dpi: number; ocr?: 'auto' | 'force'; wrapImages?: boolean }): Promise<FolioRunner> {
  const engine = await createOcrEngine(options.engine);
  return {
    async run(unit) {
      let bytes: Uint8Array = new Uint8Array(await readFile(unit.file));
      // Wrapped before the clock starts: the PDF is the input, as a scanner's would be.
      if (options.wrapImages && unit.kind === 'image') bytes = await wrapInPdf(bytes, options.dpi);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const doc = await openDocument(bytes);
      let page: OcrPage;
      try {
        if (options.ocr === 'auto') {
          page = await readPage(doc, unit.page, { dpi: options.dpi, ocr: 'auto' }, async () => engine);
        } else {
          const raster = await doc.renderPage(unit.page, { dpi: options.dpi });
          page = await engine.recognize(raster);
        }
      } finally {
        await doc.close();
      }
      const text = pageToText(page);
      const cpu = process.cpuUsage(c0);
      return { text, wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, recall: detectionRecall(unit, page) };
    },
    close: () => engine.close(),
  };
}

/**
 * An image as a scanner writes it into a PDF: one page, the image covering it, no text. The page
 * is sized so a render at `dpi` gives back the image's own pixel grid, so OCR sees what it sees
 * when it reads the image itself.
 */
export async function wrapInPdf(image: Uint8Array, dpi: number): Promise<Uint8Array> {
  const source = await openDocument(image);
  let png: Uint8Array;
  let width: number;
  let height: number;
  try {
    const raster = await source.renderPage(0);
    png = await encodePng(raster);
    ({ width, height } = raster);
  } finally {
    await source.close();
  }
  const pdf = await PDFDocument.create();
  const embedded = await pdf.embedPng(png);
  const page = pdf.addPage([(width * 72) / dpi, (height * 72) / dpi]);
  page.drawImage(embedded, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  return pdf.save();
}
