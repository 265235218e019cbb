import type { PageModel } from '../generated/models.ts';

// Row types apart from the repository: file.repository needs them and page.repository needs
// file.repository's visibility filter, so keeping them in page.repository made an import cycle.

/** One page (id = page_id), with its canonical result JSON (`result`, an OcrPage, or null). */
export type PageRow = PageModel;
/** A page without its result JSON (lists, workers). */
export type PageSummary = Omit<PageModel, 'result'>;
