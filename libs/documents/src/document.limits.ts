import { z } from 'zod';
import type { Config } from '@folio/config';

/**
 * Bounds that keep one upload from exhausting a worker. Every field is optional when passed
 * to `openDocument`; missing ones take the defaults below.
 */
export const documentLimitsSchema = z.object({
  /** Largest accepted document, in bytes. @defaultValue 100 MiB */
  maxBytes: z.number().int().positive().default(100 * 1024 * 1024),
  /** Most pages in one document. @defaultValue 2000 */
  maxPages: z.number().int().positive().default(2000),
  /**
   * Most pixels (width × height) in one page after decoding or rendering. Images are checked
   * against the size their header declares before any pixel is decoded.
   * @defaultValue 100_000_000
   */
  maxPagePixels: z.number().int().positive().default(100_000_000),
  /** Highest PDF render resolution; higher requests are clamped. @defaultValue 600 dpi */
  maxRenderDpi: z.number().positive().max(2400).default(600),
  /**
   * A PDF page that would have to be rendered below this resolution to fit `maxPagePixels`
   * is refused as `too_many_pixels` (such a page is absurdly large, not a real sheet).
   * @defaultValue 18 dpi
   */
  minRenderDpi: z.number().positive().default(18),
});

export type DocumentLimits = z.infer<typeof documentLimitsSchema>;
export type DocumentLimitsInput = z.input<typeof documentLimitsSchema>;

/** Fills in defaults and validates; throws a zod error on nonsense such as negative limits. */
export function resolveLimits(input: DocumentLimitsInput = {}): DocumentLimits {
  return documentLimitsSchema.parse(input);
}

/** The limits the service is configured with (`MAX_UPLOAD_BYTES`, `MAX_PAGES`, `MAX_PAGE_PIXELS`). */
export function limitsFromConfig(config: Pick<Config, 'MAX_UPLOAD_BYTES' | 'MAX_PAGES' | 'MAX_PAGE_PIXELS'>): DocumentLimits {
  return resolveLimits({
    maxBytes: config.MAX_UPLOAD_BYTES,
    maxPages: config.MAX_PAGES,
    maxPagePixels: config.MAX_PAGE_PIXELS,
  });
}
