import type { ExportPage, ExportWord } from './export.types.ts';
import type { TextLayerQuad } from './text-layer.types.ts';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `x0 y0 x1 y1` of a quad's bounds, whole pixels, as hOCR's `bbox` wants them. */
function bbox(quads: readonly TextLayerQuad[]): string {
  const xs = quads.flatMap((q) => q.map((p) => p[0]));
  const ys = quads.flatMap((q) => q.map((p) => p[1]));
  if (xs.length === 0) return 'bbox 0 0 0 0';
  return `bbox ${Math.max(0, Math.floor(Math.min(...xs)))} ${Math.max(0, Math.floor(Math.min(...ys)))} ${Math.ceil(Math.max(...xs))} ${Math.ceil(Math.max(...ys))}`;
}

const wconf = (w: ExportWord): number => Math.round(Math.min(1, Math.max(0, w.confidence)) * 100);

/**
 * hOCR 1.2 of a document's pages: `ocr_page` (bbox, scan_res, ppageno) → `ocr_carea` per block →
 * one `ocr_par` → `ocr_line` → `ocrx_word` (bbox, x_wconf 0–100). A page that failed (`null`)
 * is an empty `ocr_page`, so page numbers keep their place. Coordinates are page pixels.
 */
export function pagesToHocr(pages: ReadonlyArray<ExportPage | null>, options: { title?: string } = {}): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
    '<head>',
    `<title>${escape(options.title ?? '')}</title>`,
    '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
    '<meta name="ocr-system" content="folio"/>',
    '<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"/>',
    '</head>',
    '<body>',
  ];
  pages.forEach((page, p) => {
    const n = p + 1;
    if (!page) {
      out.push(`<div class="ocr_page" id="page_${n}" title="ppageno ${p}"></div>`);
      return;
    }
    const dpi = Math.round(page.dpi);
    out.push(`<div class="ocr_page" id="page_${n}" title="bbox 0 0 ${Math.round(page.width)} ${Math.round(page.height)}; ppageno ${p}; scan_res ${dpi} ${dpi}">`);
    let line = 0;
    let word = 0;
    page.blocks.forEach((block, b) => {
      out.push(` <div class="ocr_carea" id="block_${n}_${b + 1}" title="${bbox([block.quad])}">`);
      out.push(`  <p class="ocr_par" id="par_${n}_${b + 1}" title="${bbox([block.quad])}">`);
      for (const l of block.lines) {
        line += 1;
        out.push(`   <span class="ocr_line" id="line_${n}_${line}" title="${bbox([l.quad])}">`);
        for (const w of l.words) {
          word += 1;
          out.push(`    <span class="ocrx_word" id="word_${n}_${word}" title="${bbox([w.quad])}; x_wconf ${wconf(w)}">${escape(w.text)}</span>`);
        }
        out.push('   </span>');
      }
      out.push('  </p>', ' </div>');
    });
    out.push('</div>');
  });
  out.push('</body>', '</html>', '');
  return out.join('\n');
}
