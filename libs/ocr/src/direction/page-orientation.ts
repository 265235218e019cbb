import type { Quad, Rotation } from '../page.ts';
import { distance, fromUpright, mapQuad, orderQuad, quadSize, toUpright } from '../geometry/index.ts';

/**
 * Whether most text boxes run vertically: the page is then turned by 90 or 270 degrees. Only
 * clearly elongated boxes vote (long side ≥ 2 × short side), each by its length, so single
 * characters and squares do not.
 */
export function isMostlyVertical(boxes: readonly Quad[]): boolean {
  let horizontal = 0;
  let vertical = 0;
  let verticalCount = 0;
  for (const c of boxes) {
    const a = distance(c[0], c[1]);
    const b = distance(c[1], c[2]);
    const [long, p, q] = a >= b ? [a, c[0], c[1]] : [b, c[1], c[2]];
    if (long < 2 * Math.min(a, b)) continue;
    if (Math.abs(q[0] - p[0]) >= Math.abs(q[1] - p[1])) horizontal += long;
    else {
      vertical += long;
      verticalCount++;
    }
  }
  return verticalCount >= 2 && vertical > 2 * horizontal;
}

/**
 * Orders a detected box's corners as the text reads on a page turned by `rotation`: top-left first,
 * clockwise, in source pixels. Boxes still much taller than wide on the upright page hold vertical
 * text read bottom-to-top (PP-OCR turns such crops by 90° counter-clockwise).
 */
export function orientQuad(corners: Quad, rotation: Rotation, width: number, height: number): Quad {
  let q = orderQuad(mapQuad(corners, (p) => toUpright(p, rotation, width, height)));
  const size = quadSize(q);
  if (size.height >= 1.5 * size.width) q = [q[1], q[2], q[3], q[0]];
  return mapQuad(q, (p) => fromUpright(p, rotation, width, height));
}

/** The same quad read upside down. */
export function flipQuad(q: Quad): Quad {
  return [q[2], q[3], q[0], q[1]];
}

export function addRotation(a: Rotation, b: Rotation): Rotation {
  return ((a + b) % 360) as Rotation;
}
