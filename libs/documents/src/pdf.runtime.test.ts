import { describe, expect, it } from 'vitest';
import { loadPdfjs } from './pdf.runtime.ts';

describe('loadPdfjs', () => {
  it('leaves Array.prototype.push native (core-js in the legacy builds replaces it on Node 20)', async () => {
    const native = Array.prototype.push;
    await loadPdfjs();
    expect(Array.prototype.push).toBe(native);
    expect(Object.getOwnPropertyDescriptor(Array.prototype, 'push')?.enumerable).toBe(false);
  });
});
