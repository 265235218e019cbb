import { deflateSync } from 'node:zlib';
import { rawPdf } from './pdf.hostile.ts';

/**
 * One-page PDFs whose images or forms ask a renderer for far more than their size: codestreams
 * that declare a huge canvas behind a modest dictionary, Flate streams that inflate enormously,
 * forms that paint forms (a "billion laughs" of operators). Small on disk; each is what its
 * name says to pdfjs.
 */

const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>';
const PAINT_IMAGE = 'q 595 0 0 842 0 0 cm /Im0 Do Q\n';

function stream(dict: string, body: Buffer): string {
  return `<< ${dict} /Length ${body.length} >>\nstream\n${body.toString('latin1')}\nendstream`;
}

/** A one-page PDF that paints image object 5 (`dict` without /Length) over the page. */
function imagePdf(dict: string, body: Buffer): Uint8Array {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE,
    stream('', Buffer.from(PAINT_IMAGE, 'latin1')),
    stream(`/Type /XObject /Subtype /Image ${dict}`, body),
  ]);
}

const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const be16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};

/** A JPEG 2000 codestream of one gray component whose SIZ marker declares `width` × `height` (then ends). */
export function jpxCodestream(width: number, height: number): Buffer {
  const siz = Buffer.concat([
    Buffer.from([0xff, 0x51]),
    be16(41),
    be16(0),
    be32(width),
    be32(height),
    be32(0),
    be32(0),
    be32(width),
    be32(height),
    be32(0),
    be32(0),
    be16(1),
    Buffer.from([7, 1, 1]),
  ]);
  return Buffer.concat([Buffer.from([0xff, 0x4f]), siz, Buffer.from([0xff, 0xd9])]);
}

/** Embedded JBIG2 data (PDF form, no file header): a page information segment of `width` × `height`, then end of page. */
export function jbig2PageSegments(width: number, height: number): Buffer {
  const pageInfo = Buffer.concat([be32(width), be32(height), be32(0), be32(0), Buffer.from([0]), be16(0)]);
  const header = (number: number, type: number, length: number) => Buffer.concat([be32(number), Buffer.from([type, 0, 1]), be32(length)]);
  return Buffer.concat([header(0, 48, pageInfo.length), pageInfo, header(1, 49, 0)]);
}

/** An image whose dictionary says 100 × 100 but whose JPEG 2000 codestream declares `width` × `height`. */
export function jpxBombPdf(width = 60_000, height = 60_000): Uint8Array {
  return imagePdf('/Width 100 /Height 100 /Filter /JPXDecode', jpxCodestream(width, height));
}

/** An image whose dictionary says 100 × 100 but whose JBIG2 page declares `width` × `height`. */
export function jbig2BombPdf(width = 60_000, height = 60_000): Uint8Array {
  return imagePdf('/Width 100 /Height 100 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /JBIG2Decode', jbig2PageSegments(width, height));
}

/** A Flate image whose dictionary itself declares `width` × `height` gray pixels (its stream holds a few). */
export function hugeImagePdf(width = 60_000, height = 60_000): Uint8Array {
  return imagePdf(`/Width ${width} /Height ${height} /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode`, deflateSync(Buffer.alloc(1024)));
}

/** A 100 × 100 gray image whose Flate stream inflates to `inflatedBytes` (all but the first 10 000 are surplus). */
export function inflateBombImagePdf(inflatedBytes: number): Uint8Array {
  return imagePdf('/Width 100 /Height 100 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode', deflateSync(Buffer.alloc(inflatedBytes, 0x80), { level: 9 }));
}

/**
 * Forms painting forms: the page paints F1 `fanOut` times, F1 paints F2 `fanOut` times, and F2
 * strokes 1000 lines. A few KB of content, `fanOut`² × 3000 operators to paint.
 */
export function formBombPdf(fanOut = 100): Uint8Array {
  const form = (content: string, resources: string) => stream(`/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << ${resources} >>`, Buffer.from(content, 'latin1'));
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /F1 5 0 R >> >> >>',
    stream('', Buffer.from('/F1 Do\n'.repeat(fanOut), 'latin1')),
    form('/F2 Do\n'.repeat(fanOut), '/XObject << /F2 6 0 R >>'),
    form('0 0 m 595 842 l S\n'.repeat(1000), ''),
  ]);
}
