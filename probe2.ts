import { deflateSync } from 'node:zlib';
import { openDocument } from '@folio/documents';
function pdfWith(content: Buffer, compress = true): Uint8Array {
  const stream = compress ? deflateSync(content, { level: 9 }) : content;
  const objs: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>'),
    Buffer.concat([Buffer.from(`<< /Length ${stream.length}${compress ? ' /Filter /FlateDecode' : ''} >>\nstream\n`), stream, Buffer.from('\nendstream')]),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n')];
  const offsets: number[] = [];
  let len = parts[0]!.length;
  objs.forEach((o, i) => { offsets.push(len); const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]); parts.push(b); len += b.length; });
  const xref = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') + `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${len}\n%%EOF\n`;
  parts.push(Buffer.from(xref));
  return new Uint8Array(Buffer.concat(parts));
}
const n = Number(process.argv[2] ?? 1_000_000);
const kind = process.argv[3] ?? 'path';
const unit = kind === 'path' ? '0 0 m 1 1 l ' : kind === 'paint' ? '0 0 m 1 1 l S ' : 'q ';
const content = Buffer.from(unit.repeat(n) + (kind === 'path' ? 'S' : ''));
const pdf = pdfWith(content);
console.log('pdf bytes', pdf.length, 'content', content.length);
const t = Date.now(); let ticks = 0; let maxGap = 0; let last = Date.now(); const iv = setInterval(() => { const now = Date.now(); maxGap = Math.max(maxGap, now - last); last = now; if (++ticks % 20 === 0) console.log("tick", Math.round((now - t)/1000), "s maxGap", maxGap, "rss", Math.round(process.memoryUsage().rss/1e6)); }, 250);
const doc = await openDocument(pdf, {});
try {
  const r = await doc.renderPage(0, { dpi: 150 });
  console.log('rendered', r.width, r.height, Date.now() - t, 'ms', 'rss', Math.round(process.memoryUsage().rss / 1e6), 'heap', Math.round(process.memoryUsage().heapUsed / 1e6));
} catch (e) { console.log('ERR', (e as Error).message, (e as Error).cause); }
clearInterval(iv); console.log("maxGap", maxGap);
