import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { patchWorkerSource, READ_FONT_HOOK } from './pdf.worker-patch.ts';

const require = createRequire(import.meta.url);
const installed = (): string => readFileSync(require.resolve('pdfjs-dist/legacy/build/pdf.worker.min.mjs'), 'utf8');

/** The shape of pdfjs's minified `Font` constructor around the edit. */
const FONT_CLASS =
  'class Font{constructor(e,t,r,a){this.name=e;if(!t||t.isEmpty){this.fallbackToSystemFont(r);return}[i,s]=getFontFileType(t,r);let c;convert()}}' +
  'function amendFallbackToUnicode(e){}';

describe('patchWorkerSource', () => {
  it('patches the installed pdfjs worker (a pdfjs upgrade that moves the anchors fails here, not silently slower)', () => {
    const source = installed();
    const patched = patchWorkerSource(source);
    expect(patched).not.toBeNull();
    expect(patched!.split(`Symbol.for("${READ_FONT_HOOK}")`)).toHaveLength(2);
    // The links' overlaid text is no longer collected (one `overlaysTextContent` read fewer).
    expect(patched!.split('overlaysTextContent&&').length).toBe(source.split('overlaysTextContent&&').length - 1);
  });

  it('drops the page text collected for links and text markup, keeping the rest of getAnnotationsData', () => {
    const annotations =
      'for(const r of a){const a=h||u&&r.viewable;(a||d&&r.printable)&&n.push(r.data);if(r.hasTextContent&&a){i.push(r.extractTextContent())}' +
      'else r.overlaysTextContent&&a&&f.push(r)}if(f.length>0){extractPageText()}';
    expect(patchWorkerSource(annotations)).toBe(
      'for(const r of a){const a=h||u&&r.viewable;(a||d&&r.printable)&&n.push(r.data);if(r.hasTextContent&&a){i.push(r.extractTextContent())}else;}if(f.length>0){extractPageText()}',
    );
  });

  it('calls the hook after the type sniff with the constructor’s own names, read documents only', () => {
    const patched = patchWorkerSource(FONT_CLASS)!;
    expect(patched).toContain(
      `[i,s]=getFontFileType(t,r);if(!a.disableFontFace&&globalThis[Symbol.for("${READ_FONT_HOOK}")]?.(this,t,r,i)){amendFallbackToUnicode(r);return}let c;`,
    );
  });

  it('leaves sources it does not recognise alone', () => {
    expect(patchWorkerSource('class Font{constructor(e,t,r,a){}}')).toBeNull();
    expect(patchWorkerSource(FONT_CLASS.replace('function amendFallbackToUnicode', 'function amend'))).toBeNull();
    // Two sniffs: which one converts is not known.
    expect(patchWorkerSource(FONT_CLASS.replace('let c;', '[i,s]=getFontFileType(t,r);let c;'))).toBeNull();
    expect(patchWorkerSource('else r.overlaysTextContent&&a&&f.push(r)}else r.overlaysTextContent&&a&&f.push(r)}')).toBeNull();
  });
});
