import { z } from 'zod';

/**
 * A decoded page image: 8-bit samples, row-major, channels interleaved (gray, RGB or RGBA).
 * The engine reads it and never keeps a reference after `recognize` resolves.
 */
export interface Raster {
  data: Uint8Array;
  /** Pixels. */
  width: number;
  /** Pixels. */
  height: number;
  channels: 1 | 3 | 4;
  /** Resolution the page was rendered or scanned at, when known; copied into the result. */
  dpi?: number;
}

export const rasterSchema = z
  .object({
    data: z.instanceof(Uint8Array),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    channels: z.union([z.literal(1), z.literal(3), z.literal(4)]),
    dpi: z.number().positive().optional(),
  })
  .refine((r) => r.data.length >= r.width * r.height * r.channels, {
    message: 'raster data is shorter than width × height × channels',
  });

/** Throws a readable error when `raster` is not a usable page image. */
export function assertRaster(raster: Raster): void {
  const parsed = rasterSchema.safeParse(raster);
  if (!parsed.success) throw new Error(`invalid raster: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
}
