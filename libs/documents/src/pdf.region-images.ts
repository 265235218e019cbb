import sharp from 'sharp';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Raster } from './document.types.ts';
import type { RenderSize } from './pdf.render-size.ts';
import { walkOperators } from './text-layer.content.ts';
import { applyMatrix, boundsOf, intersectBoxes, type Matrix } from './text-layer.geometry.ts';
import type { PdfOps, PixelBox } from './text-layer.types.ts';

/** pdfjs `ImageKind` of decoded image data (1-bit grey is left to the renderer). */
const RGB_24BPP = 2;
const RGBA_32BPP = 3;
/** Pixels an upright image's edges may stray from the pixel axes (rounding of the page transform). */
const AXIS_SLACK_PX = 0.5;
/** Pixels a region may differ from its image's painted box: regions are rounded outwards to whole pixels. */
const MATCH_SLACK_PX = 1.5;

interface DecodedImage {
  width: number;
  height: number;
  kind: number;
  data?: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
}

interface PlacedImage {
  /** Where the image lies in page pixels (not rounded). */
  box: PixelBox;
  objId: string;
  paintOrder: number;
}

interface Obstacle {
  box: PixelBox;
  paintOrder: number;
  /** A light fill under an image changes nothing visible once the image is flattened onto white. */
  light: boolean;
}

const overlaps = (a: PixelBox, b: PixelBox): boolean => intersectBoxes(a, b) !== null;

/**
 * The page's image XObjects painted upright (first sample row at the top, not mirrored, not
 * turned), where they lie in page pixels, and everything else painted that could cover them.
 */
function placements(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>, ops: PdfOps, toPixels: Matrix): { images: PlacedImage[]; obstacles: Obstacle[] } {
  const facts = walkOperators(fnArray, argsArray, ops);
  const images: PlacedImage[] = [];
  const obstacles: Obstacle[] = [];
  for (const im of facts.images) {
    // Unit-square corners (0,0) (1,0) (1,1) (0,1); an image's first row lies along y = 1.
    const [bl, br, tr, tl] = im.corners.map((p) => applyMatrix(toPixels, p)) as Array<[number, number]>;
    const box = boundsOf([bl!, br!, tr!, tl!]);
    const args = argsArray[im.paintOrder] as unknown[] | undefined;
    const objId = args?.[0];
    const upright =
      Math.abs(tr![1] - tl![1]) <= AXIS_SLACK_PX && Math.abs(bl![0] - tl![0]) <= AXIS_SLACK_PX && tr![0] > tl![0] && bl![1] > tl![1];
    if (fnArray[im.paintOrder] === ops.paintImageXObject && typeof objId === 'string' && upright) {
      images.push({ box, objId, paintOrder: im.paintOrder });
    } else {
      obstacles.push({ box, paintOrder: im.paintOrder, light: false });
    }
  }
  for (const f of facts.fills) {
    const corners: Array<[number, number]> = [
      [f.box.x, f.box.y],
      [f.box.x + f.box.width, f.box.y],
      [f.box.x + f.box.width, f.box.y + f.box.height],
      [f.box.x, f.box.y + f.box.height],
    ];
    obstacles.push({ box: boundsOf(corners.map((p) => applyMatrix(toPixels, p))), paintOrder: f.paintOrder, light: f.light });
  }
  return { images, obstacles };
}

/** The one image that alone paints `region`, if there is one. */
function soleImage(region: PixelBox, size: RenderSize, images: readonly PlacedImage[], obstacles: readonly Obstacle[]): PlacedImage | undefined {
  const hits = images.filter((im) => overlaps(im.box, region));
  if (hits.length !== 1) return undefined;
  const im = hits[0]!;
  const b = im.box;
  const onPage = b.x >= -AXIS_SLACK_PX && b.y >= -AXIS_SLACK_PX && b.x + b.width <= size.width + AXIS_SLACK_PX && b.y + b.height <= size.height + AXIS_SLACK_PX;
  const matches =
    Math.abs(region.x - b.x) <= MATCH_SLACK_PX &&
    Math.abs(region.y - b.y) <= MATCH_SLACK_PX &&
    Math.abs(region.x + region.width - (b.x + b.width)) <= MATCH_SLACK_PX &&
    Math.abs(region.y + region.height - (b.y + b.height)) <= MATCH_SLACK_PX;
  if (!onPage || !matches) return undefined;
  // Fills and other images painted over it change its pixels; those under it show through
  // transparent parts unless they are as light as the paper.
  const covered = obstacles.some((o) => overlaps(o.box, region) && (o.paintOrder > im.paintOrder || !o.light));
  return covered ? undefined : im;
}

function decoded(page: PDFPageProxy, objId: string): Promise<DecodedImage | null> {
  // Images used on several pages are shared across the document ("g_" ids), the rest are the page's own.
  const objs = (objId.startsWith('g_') ? page.commonObjs : page.objs) as { get(id: string, callback: (data: unknown) => void): unknown };
  return new Promise((resolve) => objs.get(objId, (data) => resolve((data as DecodedImage | null) ?? null)));
}

async function scaleToRegion(image: DecodedImage, region: PixelBox, dpi: number): Promise<Raster | undefined> {
  const channels = image.kind === RGB_24BPP ? 3 : image.kind === RGBA_32BPP ? 4 : 0;
  const { data, width, height } = image;
  if (!channels || !data || data.byteLength !== width * height * channels) return undefined;
  const pixels = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out = await sharp(pixels, { raw: { width, height, channels }, limitInputPixels: false })
    .resize(region.width, region.height, { fit: 'fill' })
    // The page is white paper: transparent parts of the image show it.
    .flatten({ background: '#ffffff' })
    .ensureAlpha(1)
    .raw()
    .toBuffer();
  return { data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), width: region.width, height: region.height, channels: 4, dpi };
}

/**
 * Rasters for the regions that one plain image paints alone (a logo, a photo, a scanned
 * signature), scaled from the image's decoded samples instead of rendering the page: no fonts, no
 * glyph paths, no painting of the rest of the page. Text over such an image is not painted, which
 * OCR of the region does not miss: the text layer already holds it. Regions this cannot serve
 * (masks, turned or mirrored images, several images, fills over them) are left out of the map,
 * for the renderer. `page` may come from a document that reads only (see `PdfjsUse`).
 */
export async function regionsFromImages(
  page: PDFPageProxy,
  ops: PdfOps,
  annotationModeDisable: number,
  size: RenderSize,
  regions: readonly PixelBox[],
): Promise<Map<number, Raster>> {
  const out = new Map<number, Raster>();
  if (regions.length === 0) return out;
  const list = await page.getOperatorList({ annotationMode: annotationModeDisable });
  const toPixels = page.getViewport({ scale: size.dpi / 72 }).transform as Matrix;
  const { images, obstacles } = placements(list.fnArray, list.argsArray, ops, toPixels);
  for (const [i, region] of regions.entries()) {
    const im = soleImage(region, size, images, obstacles);
    if (!im) continue;
    const data = await decoded(page, im.objId);
    const raster = data ? await scaleToRegion(data, region, size.dpi) : undefined;
    if (raster) out.set(i, raster);
  }
  return out;
}
