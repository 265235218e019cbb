import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { confidenceColour, drawBoxes, overlaySvg } from './image.overlay.ts';

async function whitePng(width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: '#ffffff' } });
  return (channels === 1 ? img.toColourspace('b-w') : img).png().toBuffer();
}

async function pixel(png: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe('drawBoxes', () => {
  it('outlines each box in its confidence colour and leaves the rest of the page alone', async () => {
    for (const channels of [1, 3] as const) {
      const out = await drawBoxes(await whitePng(400, 200, channels), [
        { xmin: 20, ymin: 60, xmax: 180, ymax: 120, score: 0.3, label: 'Invoice <total> & "tax"' },
        { xmin: 220, ymin: 60, xmax: 380, ymax: 120, score: 0.95, label: 'sure' },
      ]);
      const meta = await sharp(out).metadata();
      expect(meta).toMatchObject({ format: 'png', width: 400, height: 200 });
      const [r, g, b] = await pixel(out, 20, 90); // left edge of the low-confidence box
      expect(r).toBeGreaterThan(180);
      expect(g).toBeLessThan(120);
      expect(b).toBeLessThan(120);
      const [r2, g2, b2] = await pixel(out, 380, 90); // right edge of the confident box
      expect(g2).toBeGreaterThan(r2 + 40);
      expect(g2).toBeGreaterThan(b2 + 40);
      expect(await pixel(out, 200, 190)).toEqual([255, 255, 255]);
    }
  });

  it('writes labels as escaped XML text and clamps boxes to the image', () => {
    const svg = overlaySvg(100, 50, [{ xmin: -5, ymin: 0, xmax: 500, ymax: 10, score: 0.8, label: 'a<b>\u0001&c' }]);
    expect(svg).toContain('a&lt;b&gt; &amp;c (0.80)');
    expect(svg).toContain('<rect x="0" y="0" width="100" height="10"');
    expect(overlaySvg(100, 50, [{ xmin: 1, ymin: 1, xmax: 2, ymax: 2, score: 1 }], { labels: false })).not.toContain('<text');
  });

  it('colours by confidence: green, amber, red', () => {
    expect([0.99, 0.9, 0.8, 0.7, 0.69, 0].map(confidenceColour)).toEqual(['#16a34a', '#16a34a', '#d97706', '#d97706', '#dc2626', '#dc2626']);
  });
});
