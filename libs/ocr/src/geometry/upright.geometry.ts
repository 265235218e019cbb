/**
 * The page rotations the engine detects (0, 90, 180, 270): a page stored turned `rotation` degrees
 * clockwise from upright, and the upright page whose size is swapped for 90 and 270.
 */
import type { Point, Quad, Rotation } from '../page.ts';
import { mapQuad } from './quad.geometry.ts';

/**
 * Maps a point of the source page (width × height, rotated `rotation` degrees clockwise from
 * upright) into the upright page's pixels.
 */
export function toUpright(p: Point, rotation: Rotation, width: number, height: number): Point {
  switch (rotation) {
    case 0:
      return [p[0], p[1]];
    case 90:
      // Undo a clockwise quarter turn: the source's right edge becomes the upright top edge.
      return [p[1], width - p[0]];
    case 180:
      return [width - p[0], height - p[1]];
    case 270:
      return [height - p[1], p[0]];
  }
}

/** Inverse of {@link toUpright}: an upright-page point back into the source page's pixels. */
export function fromUpright(p: Point, rotation: Rotation, width: number, height: number): Point {
  switch (rotation) {
    case 0:
      return [p[0], p[1]];
    case 90:
      return [width - p[1], p[0]];
    case 180:
      return [width - p[0], height - p[1]];
    case 270:
      return [p[1], height - p[0]];
  }
}

/** A quad mapped to the upright page, corner order kept (still clockwise from the text's top-left). */
export function toUprightQuad(quad: Quad, rotation: Rotation, width: number, height: number): Quad {
  return mapQuad(quad, (p) => toUpright(p, rotation, width, height));
}

/** Size of the upright page for a source page of `width × height` rotated by `rotation`. */
export function uprightSize(rotation: Rotation, width: number, height: number): { width: number; height: number } {
  return rotation === 90 || rotation === 270 ? { width: height, height: width } : { width, height };
}
