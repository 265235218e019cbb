import { describe, expect, it } from 'vitest';
import { loadConfig } from '@folio/config';
import { limitsFromConfig, resolveLimits } from './document.limits.ts';
import { planRenderSize } from './pdf.render-size.ts';
import { A4 } from './testing/index.ts';

describe('resolveLimits', () => {
  it('fills the documented defaults', () => {
    expect(resolveLimits()).toEqual({
      maxBytes: 100 * 1024 * 1024,
      maxPages: 2000,
      maxPagePixels: 100_000_000,
      maxRenderDpi: 600,
      minRenderDpi: 18,
    });
  });

  it('keeps given values and rejects nonsense', () => {
    expect(resolveLimits({ maxPages: 3 }).maxPages).toBe(3);
    expect(() => resolveLimits({ maxPages: -1 })).toThrow();
  });

  it('reads the service configuration', () => {
    const limits = limitsFromConfig(loadConfig({ MAX_PAGES: '7', MAX_PAGE_PIXELS: '1000', MAX_UPLOAD_BYTES: '99' }));
    expect(limits).toMatchObject({ maxPages: 7, maxPagePixels: 1000, maxBytes: 99 });
  });
});

describe('planRenderSize', () => {
  const limits = resolveLimits();

  it('renders A4 at the requested dpi when it fits', () => {
    expect(planRenderSize(A4.width, A4.height, 300, limits)).toEqual({ dpi: 300, width: 2481, height: 3508 });
    expect(planRenderSize(A4.width, A4.height, 72, limits)).toEqual({ dpi: 72, width: 596, height: 842 });
  });

  it('clamps to maxRenderDpi', () => {
    expect(planRenderSize(A4.width, A4.height, 1200, limits)?.dpi).toBe(600);
  });

  it('lowers the dpi of a page too big for the pixel limit, to the highest whole dpi that fits', () => {
    const size = planRenderSize(A4.width, A4.height, 300, { ...limits, maxPagePixels: 1_000_000 });
    expect(size).not.toBeNull();
    const { dpi, width, height } = size!;
    expect(width * height).toBeLessThanOrEqual(1_000_000);
    expect(dpi).toBeLessThan(300);
    const next = planRenderSize(A4.width, A4.height, dpi + 1, { ...limits, maxPagePixels: Infinity })!;
    expect(next.width * next.height).toBeGreaterThan(1_000_000);
  });

  it('gives up on absurd pages that only fit below minRenderDpi', () => {
    // 14400 pt is the largest page PDF allows without UserUnit: 200 × 200 inches.
    expect(planRenderSize(14400, 14400, 300, { ...limits, maxPagePixels: 1_000_000 })).toBeNull();
    expect(planRenderSize(14400, 14400, 300, limits)).toEqual({ dpi: 50, width: 10_000, height: 10_000 });
  });
});
