/**
 * A stand-in for the DOM `document` that pdfjs loads fonts into, for documents that are read but
 * never rendered. With `disableFontFace: false` pdfjs skips building a path for every glyph it
 * meets (which only canvas rendering in Node needs) and instead hands each embedded font to the
 * document as an `@font-face` rule; this sink takes the rule and drops it. Without it, Node has no
 * document, the hand-over fails, and pdfjs falls back to building the paths after all.
 */
export function fontSinkDocument(): Document {
  const sheet = { cssRules: [] as unknown[], insertRule: () => 0 };
  const sink = {
    createElement: () => ({ sheet, remove: () => undefined }),
    documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
  };
  return sink as unknown as Document;
}
