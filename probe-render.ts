import { decodeImage, encodePng, openDocument } from '@folio/documents';
import { writePdf } from '@folio/documents/testing';
import { denseTextPage, formPage, receiptPage } from './bench/lib/synthetic-pages.ts';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const [name, page] of [['dense', denseTextPage(11)], ['form', formPage(21)], ['receipt', receiptPage(31)]] as const) {
  const t: Record<string, number> = {};
  const add = (k: string, v: number) => (t[k] = (t[k] ?? 0) + v);
  const pdf = writePdf([page, page, page]);
  let c = cpu();
  const doc = await openDocument(pdf);
  add('open', cpu() - c);
  for (let i = 0; i < 3; i++) {
    c = cpu(); const r = await doc.renderPage(i, { dpi: 300 }); add('render', cpu() - c);
    c = cpu(); const png = await encodePng(r); add('enc3', cpu() - c);
    c = cpu(); const png1 = await encodePng(r, { compressionLevel: 1 }); add('enc1', cpu() - c);
    c = cpu(); await decodeImage(png); add('dec', cpu() - c);
    void png1;
  }
  console.log(name, Object.entries(t).map(([k, v]) => `${k} ${(v / 3).toFixed(0)}ms`).join(' '));
}
