import { EXPORT_CONTENT_TYPES, pageToMarkdown, type ExportFormat, type FileProgressView } from '@folio/contracts';
import { pagesToHocr, searchablePdf, sniffDocumentType } from '@folio/documents';
import { pageToText, type OcrPage } from '@folio/ocr';
import type { ApiDeps } from '../api.deps.ts';
import { fromLibraryError } from '../errors/domain-errors.ts';
import { isFinal } from './file-wait.service.ts';
import { fileProgressOf } from './file-progress.service.ts';
import { findFile } from './mistral-files.service.ts';
import { loadResults } from './ocr-result.service.ts';

export type FileExport =
  | { kind: 'export'; body: Buffer; contentType: string; filename: string }
  /** Not finished: nothing to export yet; the progress says how far it is. */
  | { kind: 'pending'; progress: FileProgressView };

const extension: Record<ExportFormat, string> = { pdf: 'pdf', hocr: 'hocr', txt: 'txt', md: 'md', json: 'json' };

/** `name.pdf` → `name.ocr.<ext>`: the export named after the original. */
function exportName(filename: string, format: ExportFormat): string {
  const base = filename.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'document';
  return `${base}.ocr.${extension[format]}`;
}

function render(format: Exclude<ExportFormat, 'pdf'>, pages: ReadonlyArray<OcrPage | null>, title: string): string {
  switch (format) {
    case 'hocr':
      return pagesToHocr(pages, { title });
    case 'txt':
      return pages.map((p) => `${p ? pageToText(p) : ''}\n`).join('\f');
    case 'md':
      return `${pages.map((p) => (p ? pageToMarkdown(p) : '')).join('\n\n---\n\n')}\n`;
    case 'json':
      return JSON.stringify(pages);
  }
}

/**
 * `GET /v1/files/{id}/export?format=`: a finished file of the caller's organization as a searchable
 * PDF, hOCR, text, Markdown or the canonical JSON. Another organization's file is as unknown as a
 * missing one (404); a file still being read is `pending` (the route answers 409 with its progress).
 * Failed pages keep their place: empty in text formats, `null` in JSON, no text in the PDF.
 */
export async function exportFile(deps: ApiDeps, input: { orgId: string; fileId: string; format: ExportFormat }): Promise<FileExport> {
  const file = await findFile(deps, input.orgId, input.fileId);
  if (!isFinal(file)) return { kind: 'pending', progress: await fileProgressOf(deps, file) };
  const { pages } = await loadResults(deps, file);
  const results = pages.map((p) => p.result);
  const contentType = EXPORT_CONTENT_TYPES[input.format];
  const filename = exportName(file.filename, input.format);
  if (input.format !== 'pdf') return { kind: 'export', body: Buffer.from(render(input.format, results, file.filename)), contentType, filename };
  if (!file.storageKey) return { kind: 'pending', progress: await fileProgressOf(deps, file) };
  try {
    const original = new Uint8Array(await deps.storage.getBuffer(file.storageKey));
    const pdf = await searchablePdf(original, sniffDocumentType(original) ?? 'pdf', results);
    return { kind: 'export', body: Buffer.from(pdf), contentType, filename };
  } catch (err) {
    throw fromLibraryError(err);
  }
}
