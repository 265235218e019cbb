/**
 * The engine's and the dialects' one geometry module (`@folio/ocr/geometry`): pure functions over
 * points, quads and boxes in page pixels, no models, so importing it loads no onnxruntime.
 */
export { type Box, type Bounds, boundsOf, quadToBox, boxToQuad, unionBoxes, boxWidth, boxHeight, centerY, overlapX, overlapY, overlaps, medianHeight, clamp, pixelBox, normalizePoint } from './box.geometry.ts';
export { convexHull, minAreaRect, type RotatedRect } from './hull.geometry.ts';
export { type Interval, mergeIntervals, complementIntervals, intersectIntervals } from './interval.geometry.ts';
export { rectCorners, orderQuad, imageOrderQuad, distance, quadSize, quadLength, quadThickness, quadAngle, quadPoint, subQuad, mapQuad, rotatePoint, rotateQuad } from './quad.geometry.ts';
export { mean, median, quantile } from './stats.geometry.ts';
export { toUpright, fromUpright, toUprightQuad, uprightSize } from './upright.geometry.ts';
