import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '@folio/config';
import { openDocument, DEFAULT_RENDER_DPI, isDocumentError, pagesToHocr, searchablePdf, sniffDocumentType } from '@folio/documents';
import { pageToMarkdown } from '@folio/contracts';
import { createOcrEngine, engineOptionsFromConfig, pageToText, withUsableProviders, type OcrEngine, type OcrPage } from '@folio/ocr';
import { readPage } from './ocr.read-page.ts';

export const USAGE = `usage: folio ocr FILE [--page N] [--dpi D] [--format text|json|markdown|hocr|pdf] [--ocr auto|force] [--out FILE]

Runs the OCR engine locally (no services) on a PDF, PNG, JPEG or TIFF.
  --page N     only page N (1-based); default: every page
  --dpi D      PDF render resolution, 72..600 (default ${DEFAULT_RENDER_DPI}); images keep their own
  --format F   text (default): the page's lines in reading order, one per line; pages separated
               by a form feed (\\f) when --page is absent
               json: the canonical result, one OcrPage with --page, else an array of them
               markdown: headings, paragraphs, lists and pipe tables; pages separated by ---
               hocr: hOCR 1.2 (ocr_page, ocr_carea, ocr_par, ocr_line, ocrx_word with bbox, x_wconf)
               pdf: a searchable PDF: the original pages with invisible text on OCR'd pages
  --ocr M      auto (default): PDF pages whose text layer can be trusted are read from it, images
               on them OCR'd; force: OCR every page
  --out FILE   write the result to FILE instead of stdout
Engine settings come from the OCR_* environment variables (OCR_THREADS, OCR_PROVIDERS, OCR_MODEL_DIR, …).`;

const argsSchema = z.object({
  file: z.string().min(1),
  page: z.coerce.number().int().positive().optional(),
  dpi: z.coerce.number().int().min(72).max(600).default(DEFAULT_RENDER_DPI),
  format: z.enum(['text', 'json', 'markdown', 'hocr', 'pdf']).default('text'),
  ocr: z.enum(['auto', 'force']).default('auto'),
  out: z.string().min(1).optional(),
});

type OcrArgs = z.infer<typeof argsSchema>;

function parse(args: string[]): OcrArgs | string {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        page: { type: 'string' },
        dpi: { type: 'string' },
        format: { type: 'string' },
        ocr: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return '';
    if (positionals.length !== 1) return 'expected exactly one FILE';
    const parsed = argsSchema.safeParse({ file: positionals[0], page: values.page, dpi: values.dpi, format: values.format, ocr: values.ocr, out: values.out });
    if (!parsed.success) return parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n');
    return parsed.data;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function render(pages: OcrPage[], args: OcrArgs, original: Uint8Array): Promise<string | Uint8Array> {
  switch (args.format) {
    case 'hocr':
      return pagesToHocr(pages, { title: args.file });
    case 'pdf': {
      // With --page, only that page carries its text; the others stay as they are.
      const all: Array<OcrPage | null> = args.page ? Array.from({ length: args.page }, (_, i) => (i === args.page! - 1 ? pages[0]! : null)) : pages;
      return searchablePdf(original, sniffDocumentType(original) ?? 'pdf', all);
    }
    case 'json':
      return `${JSON.stringify(args.page ? pages[0] : pages)}\n`;
    case 'markdown':
      return `${pages.map(pageToMarkdown).join('\n\n---\n\n')}\n`;
    case 'text':
      return pages.map((p) => `${pageToText(p)}\n`).join('\f');
  }
}

/** `folio ocr FILE [--page N] [--dpi D] [--format F] [--ocr auto|force] [--out FILE]`; returns the exit code. */
export async function ocrCommand(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args ? `${args}\n` : ''}${USAGE}\n`);
    return args ? 2 : 0;
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(args.file));
  } catch (err) {
    process.stderr.write(`cannot read ${args.file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  try {
    const doc = await openDocument(bytes);
    if (args.page && args.page > doc.pageCount) {
      await doc.close();
      process.stderr.write(`--page ${args.page}: the document has ${doc.pageCount} page(s)\n`);
      return 2;
    }
    // The engine loads only when a page needs OCR: a born-digital PDF never starts it.
    let engine: Promise<OcrEngine> | undefined;
    const getEngine = () =>
      (engine ??= withUsableProviders(engineOptionsFromConfig(loadConfig()), (m) => process.stderr.write(`${m}\n`)).then((o) => createOcrEngine(o)));
    try {
      const indexes = args.page ? [args.page - 1] : Array.from({ length: doc.pageCount }, (_, i) => i);
      const pages: OcrPage[] = [];
      for (const i of indexes) pages.push(await readPage(doc, i, { dpi: args.dpi, ocr: args.ocr }, getEngine));
      const output = await render(pages, args, bytes);
      if (args.out) await writeFile(args.out, output);
      else process.stdout.write(output);
      return 0;
    } finally {
      if (engine) await (await engine).close();
      await doc.close();
    }
  } catch (err) {
    if (isDocumentError(err)) {
      process.stderr.write(`${args.file}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
