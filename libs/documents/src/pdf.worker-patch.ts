/**
 * Two edits to pdfjs's worker, made as it loads. The first is one call, so that documents opened
 * to read skip font conversion (see `pdf.read-fonts.ts` for why that is safe); the second drops
 * the page text that annotations would collect (`dropOverlaidText`). pdfjs has no option for it and keeps its classes
 * private, so the worker's source is edited as it is loaded: in the `Font` constructor, right
 * after pdfjs has sniffed the program's type and before it converts, a call to a hook registered
 * on `globalThis` under `READ_FONT_HOOK`. When the hook answers yes, the constructor stops there as
 * pdfjs's own converted branch ends (the fallback Unicode amended, no program data kept).
 *
 * Only documents opened with `disableFontFace: false` ask the hook: Folio opens its read documents
 * so, and its render documents with `disableFontFace: true` (they must keep their glyph outlines).
 * The edits are anchored on names the minified build keeps (`class Font`, `getFontFileType`,
 * `amendFallbackToUnicode`, `overlaysTextContent`); if a pdfjs release moves them, that edit is left
 * out (reading is then as slow as before, never wrong), and a test fails.
 */

/** `Symbol.for` key of the hook the edited worker calls: `(font, file, properties, fileType) => boolean`. */
export const READ_FONT_HOOK = 'folio.pdfjs.readsWithoutProgram';

function onlyMatch(source: string, pattern: RegExp): RegExpExecArray | null {
  const matches = [...source.matchAll(new RegExp(pattern.source, 'g'))];
  return matches.length === 1 ? matches[0]! : null;
}

/** The `Font` constructor edit: the hook call after the type sniff, or null when its anchors are not each found once. */
function addReadFontHook(source: string): string | null {
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

/**
 * The `getAnnotationsData` edit: links and text-markup annotations no longer collect the page text
 * they lie over. To give each link its `overlaidText`, pdfjs extracts the whole page's text content
 * once more whenever a page has a link (most born-digital documents: URLs, tables of contents), a
 * third pass over the content that Folio never reads (only its read documents ask for annotations,
 * for the rectangles of those that show text). Null when the anchor is not found once.
 */
function dropOverlaidText(source: string): string | null {
  const collect = onlyMatch(source, /else (\w+)\.overlaysTextContent&&(\w+)&&(\w+)\.push\(\1\)\}/);
  if (!collect) return null;
  return source.slice(0, collect.index) + 'else;}' + source.slice(collect.index + collect[0].length);
}

/**
 * The worker source with Folio's edits (`addReadFontHook`, `dropOverlaidText`) applied: each one
 * whose anchors are found exactly once. Null when none applies.
 */
export function patchWorkerSource(source: string): string | null {
  let patched = source;
  let applied = 0;
  for (const edit of [addReadFontHook, dropOverlaidText]) {
    const next = edit(patched);
    if (next === null) continue;
    patched = next;
    applied++;
  }
  return applied > 0 ? patched : null;
}
