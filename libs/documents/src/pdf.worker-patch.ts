/**
 * One call added to pdfjs's worker so that documents opened to read skip font conversion (see
 * `pdf.read-fonts.ts` for why that is safe). pdfjs has no option for it and keeps its classes
 * private, so the worker's source is edited as it is loaded: in the `Font` constructor, right
 * after pdfjs has sniffed the program's type and before it converts, a call to a hook registered
 * on `globalThis` under `READ_FONT_HOOK`. When the hook answers yes, the constructor stops there as
 * pdfjs's own converted branch ends (the fallback Unicode amended, no program data kept).
 *
 * Only documents opened with `disableFontFace: false` ask the hook: Folio opens its read documents
 * so, and its render documents with `disableFontFace: true` (they must keep their glyph outlines).
 * The edit is anchored on names the minified build keeps (`class Font`, `getFontFileType`,
 * `amendFallbackToUnicode`); if a pdfjs release moves them, `patchWorkerSource` returns null and
 * the stock worker loads (reading is then as slow as before, never wrong). A test pins it.
 */

/** `Symbol.for` key of the hook the edited worker calls: `(font, file, properties, fileType) => boolean`. */
export const READ_FONT_HOOK = 'folio.pdfjs.readsWithoutProgram';

function onlyMatch(source: string, pattern: RegExp): RegExpExecArray | null {
  const matches = [...source.matchAll(new RegExp(pattern.source, 'g'))];
  return matches.length === 1 ? matches[0]! : null;
}

/** The worker source with the hook call added, or null when the anchors are not each found exactly once. */
export function patchWorkerSource(source: string): string | null {
  const ctor = onlyMatch(source, /class Font\{constructor\((\w+),(\w+),(\w+),(\w+)\)\{/);
  if (!ctor) return null;
  const [, , file, properties, options] = ctor;
  const sniff = onlyMatch(source, new RegExp(`\\[(\\w+),\\w+\\]=getFontFileType\\(${file},${properties}\\);`));
  if (!sniff || sniff.index < ctor.index || !/function amendFallbackToUnicode\(/.test(source)) return null;
  const fileType = sniff[1];
  const call =
    `if(!${options}.disableFontFace&&globalThis[Symbol.for(${JSON.stringify(READ_FONT_HOOK)})]?.(this,${file},${properties},${fileType}))` +
    `{amendFallbackToUnicode(${properties});return}`;
  const at = sniff.index + sniff[0].length;
  return source.slice(0, at) + call + source.slice(at);
}
