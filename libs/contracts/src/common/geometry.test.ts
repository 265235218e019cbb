import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Quad, Rotation } from '@folio/ocr';
import { imageOrderQuad, pixelBox, toUprightPoint, uprightSize } from './geometry.ts';

describe('geometry', () => {
  it('imageOrderQuad starts at the image top-left corner and keeps the clockwise order', () => {
    // Text read top to bottom (page turned 90 degrees clockwise): stored from the text's top-left.
    const asRead: Quad = [[500, 50], [500, 250], [470, 250], [470, 50]];
    expect(imageOrderQuad(asRead)).toEqual([[470, 50], [500, 50], [500, 250], [470, 250]]);
    const upright: Quad = [[1, 2], [9, 2], [9, 5], [1, 5]];
    expect(imageOrderQuad(upright)).toEqual(upright);
  });

  it('toUprightPoint maps the corners of a turned page onto the upright page', () => {
    // A 600 x 400 image of a 400 x 600 page turned a quarter clockwise.
    expect(toUprightPoint([600, 0], 90, 600, 400)).toEqual([0, 0]);
    expect(toUprightPoint([0, 400], 90, 600, 400)).toEqual([400, 600]);
    expect(toUprightPoint([0, 0], 180, 600, 400)).toEqual([600, 400]);
    expect(toUprightPoint([0, 400], 270, 600, 400)).toEqual([0, 0]);
  });

  it('every point of the source page lands inside the upright page', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Rotation>(0, 90, 180, 270),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rotation, w, h, fx, fy) => {
          const [x, y] = toUprightPoint([fx * w, fy * h], rotation, w, h);
          const size = uprightSize(rotation, w, h);
          return x >= -1e-6 && y >= -1e-6 && x <= size.width + 1e-6 && y <= size.height + 1e-6;
        },
      ),
    );
  });

  it('pixelBox rounds outwards and clamps to the page', () => {
    expect(pixelBox({ xmin: -3.2, ymin: 1.7, xmax: 10.1, ymax: 99.5 }, 10, 50)).toEqual({ xmin: 0, ymin: 1, xmax: 10, ymax: 50 });
  });
});
