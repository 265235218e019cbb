import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { assertDeclaredType, sniffDocumentType } from './document.sniff.ts';
import { isDocumentError } from './document.errors.ts';
import { makeTextPdf, makeTextPng } from './testing/index.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isDocumentError(err) ? err.code : `not a DocumentError: ${String(err)}`;
  }
  return undefined;
}

describe('sniffDocumentType', () => {
  it('recognises generated PDF, PNG, JPEG and TIFF by content', async () => {
    const png = await makeTextPng(['x']);
    expect(sniffDocumentType(makeTextPdf([['x']]))).toBe('pdf');
    expect(sniffDocumentType(png)).toBe('png');
    expect(sniffDocumentType(await sharp(png).jpeg().toBuffer())).toBe('jpeg');
    expect(sniffDocumentType(await sharp(png).tiff().toBuffer())).toBe('tiff');
  });

  it('knows both TIFF byte orders and BigTIFF', () => {
    expect(sniffDocumentType(bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0))).toBe('tiff');
    expect(sniffDocumentType(bytes(0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8))).toBe('tiff');
    expect(sniffDocumentType(bytes(0x49, 0x49, 0x2b, 0x00, 8, 0, 0, 0))).toBe('tiff');
  });

  it('finds a PDF header after leading junk within the first KiB, not beyond', () => {
    const pdf = makeTextPdf([['x']]);
    const withJunk = (n: number): Uint8Array => {
      const out = new Uint8Array(n + pdf.length);
      out.fill(0x20, 0, n);
      out.set(pdf, n);
      return out;
    };
    expect(sniffDocumentType(withJunk(300))).toBe('pdf');
    expect(sniffDocumentType(withJunk(5000))).toBeNull();
  });

  it('returns null for other formats, text and too-short input', () => {
    expect(sniffDocumentType(new TextEncoder().encode('GIF89a....'))).toBeNull();
    expect(sniffDocumentType(new TextEncoder().encode('hello, world'))).toBeNull();
    expect(sniffDocumentType(bytes(0x89, 0x50))).toBeNull();
    expect(sniffDocumentType(new Uint8Array(0))).toBeNull();
  });
});

describe('assertDeclaredType', () => {
  it('accepts matching, aliased and parameterised declarations', () => {
    expect(assertDeclaredType('application/pdf', 'pdf')).toBe('pdf');
    expect(assertDeclaredType('image/JPG', 'jpeg')).toBe('jpeg');
    expect(assertDeclaredType('image/png; charset=binary', 'png')).toBe('png');
    expect(assertDeclaredType('image/tif', 'tiff')).toBe('tiff');
  });

  it('treats missing and application/octet-stream as undeclared', () => {
    expect(assertDeclaredType(undefined, 'pdf')).toBe('pdf');
    expect(assertDeclaredType(null, 'png')).toBe('png');
    expect(assertDeclaredType('', 'jpeg')).toBe('jpeg');
    expect(assertDeclaredType('application/octet-stream', 'tiff')).toBe('tiff');
  });

  it('refuses a lying content type: JPEG bytes declared as PDF', async () => {
    const jpeg = await sharp(await makeTextPng(['x'])).jpeg().toBuffer();
    expect(codeOf(() => assertDeclaredType('application/pdf', sniffDocumentType(jpeg)))).toBe('type_mismatch');
    expect(codeOf(() => assertDeclaredType('text/plain', 'pdf'))).toBe('type_mismatch');
    try {
      assertDeclaredType('application/pdf', 'jpeg');
    } catch (err) {
      expect((err as Error).message).toMatch(/application\/pdf.*image\/jpeg/);
    }
  });

  it('refuses unknown content whatever was declared', () => {
    expect(codeOf(() => assertDeclaredType('application/pdf', null))).toBe('unsupported_type');
    expect(codeOf(() => assertDeclaredType(undefined, null))).toBe('unsupported_type');
  });
});
