/**
 * `attachment` Content-Disposition for a download name (RFC 6266 / RFC 5987): an ASCII
 * fallback in `filename=` plus the exact UTF-8 name in `filename*=`.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
