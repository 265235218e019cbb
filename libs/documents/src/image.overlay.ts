import sharp from 'sharp';

/** A box to draw, in pixels of the image, top-left origin. */
export interface OverlayBox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  /** 0..1; picks the colour (`confidenceColour`). */
  score: number;
  /** Drawn above the box with the score, e.g. the recognized text. Omitted: the score alone. */
  label?: string;
}

export interface OverlayOptions {
  /** Draw the label and score above each box. @defaultValue true */
  labels?: boolean;
  /** Longest label drawn, characters; longer ones end with `…`. @defaultValue 48 */
  maxLabelChars?: number;
}

/**
 * Scores at or above `high` are drawn green, at or above `low` amber, below it red. The review
 * page colours its boxes with the same thresholds.
 */
export const CONFIDENCE_THRESHOLDS = { high: 0.9, low: 0.7 } as const;

/** CSS colour of a score (green, amber, red; `CONFIDENCE_THRESHOLDS`). */
export function confidenceColour(score: number): string {
  if (score >= CONFIDENCE_THRESHOLDS.high) return '#16a34a';
  if (score >= CONFIDENCE_THRESHOLDS.low) return '#d97706';
  return '#dc2626';
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
// Control characters are not allowed in XML 1.0 text and would make librsvg refuse the whole overlay.
const printable = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');

function labelText(box: OverlayBox, maxChars: number): string {
  const score = box.score.toFixed(2);
  const text = box.label === undefined ? '' : printable(box.label).trim();
  const shown = text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
  return shown ? `${shown} (${score})` : score;
}

/**
 * The SVG drawn over an image of `width` × `height` pixels: each box outlined and lightly filled in
 * its confidence colour, with its label on a filled tab above it (inside the box when it touches
 * the top edge), as NVIDIA NIM's OCR example visualises detections.
 */
export function overlaySvg(width: number, height: number, boxes: readonly OverlayBox[], options: OverlayOptions = {}): string {
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 400));
  const font = Math.max(11, Math.round(Math.min(width, height) / 70));
  const maxChars = options.maxLabelChars ?? 48;
  const parts: string[] = [];
  for (const box of boxes) {
    const x = Math.max(0, Math.min(box.xmin, width));
    const y = Math.max(0, Math.min(box.ymin, height));
    const w = Math.max(1, Math.min(box.xmax, width) - x);
    const h = Math.max(1, Math.min(box.ymax, height) - y);
    const colour = confidenceColour(box.score);
    parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${colour}" fill-opacity="0.12" stroke="${colour}" stroke-width="${stroke}"/>`);
    if (options.labels === false) continue;
    const text = labelText(box, maxChars);
    const tabHeight = Math.round(font * 1.3);
    const tabY = y - tabHeight >= 0 ? y - tabHeight : y;
    // Glyph widths are not known here; 0.6 em per character fits common sans fonts.
    const tabWidth = Math.min(width - x, Math.round(text.length * font * 0.6) + 2 * stroke);
    parts.push(`<rect x="${x}" y="${tabY}" width="${tabWidth}" height="${tabHeight}" fill="${colour}" fill-opacity="0.85"/>`);
    parts.push(
      `<text x="${x + stroke}" y="${tabY + Math.round(font * 1.02)}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${font}" fill="#ffffff">${escapeXml(text)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

/**
 * PNG of `image` (PNG, JPEG or TIFF bytes) with `boxes` drawn over it (`overlaySvg`, composited
 * by sharp). Grey images come back as RGB so the colours survive.
 */
export async function drawBoxes(image: Uint8Array, boxes: readonly OverlayBox[], options: OverlayOptions = {}): Promise<Buffer> {
  const base = sharp(image, { limitInputPixels: false });
  const { width, height } = await base.metadata();
  if (!width || !height) throw new RangeError('The image has no size.');
  const svg = Buffer.from(overlaySvg(width, height, boxes, options));
  return base
    .toColourspace('srgb')
    .composite([{ input: svg, top: 0, left: 0 }])
    .png({ compressionLevel: 3 })
    .toBuffer();
}
