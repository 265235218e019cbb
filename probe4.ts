import { openDocument } from '@folio/documents';
import { writePdf } from '@folio/documents/testing';
function raw(objs: string[], trailerExtra = ''): Uint8Array {
  let out = '%PDF-1.7\n'; const offs: number[] = [];
  objs.forEach((o, i) => { offs.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const x = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') + `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${x}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
const depth = Number(process.argv[2] ?? 100000);
const nest = '['.repeat(depth) + ']'.repeat(depth);
const dictNest = '<< /A '.repeat(depth) + '1' + ' >>'.repeat(depth);
const cases: Record<string, Uint8Array> = {
  catalogArrays: raw([`<< /Type /Catalog /Pages 2 0 R /Nest ${nest} >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>']),
  pageDicts: raw(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources ${dictNest} >>`]),
  pagesTreeLoop: raw(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>']),
  hugeCount: raw(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>']),
  contentNest: writePdf([{ rawContent: `${nest} pop` }], { compress: true }),
  qbomb: writePdf([{ rawContent: 'q '.repeat(1_000_000) }], { compress: true }),
};
for (const [name, bytes] of Object.entries(cases)) {
  if (process.argv[3] && process.argv[3] !== name) continue;
  const t = Date.now();
  try {
    const doc = await openDocument(bytes, {});
    console.log(name, bytes.length, 'opened pages', doc.pageCount, Date.now() - t, 'ms');
    if (name === 'qbomb') continue;
    const r = await doc.renderPage(0, { dpi: 72 });
    console.log(name, 'rendered', r.width, r.height, Date.now() - t, 'ms');
  } catch (e) { console.log(name, 'ERR', Date.now() - t, 'ms', (e as any).code, (e as Error).message, String((e as any).cause).slice(0, 200)); }
}
