import type { Line, Quad } from '../page.ts';

const LONE_O = /^[oO]$/;
const HAS_DIGIT = /[0-9]/;

function yRange(q: Quad): [number, number] {
  return [Math.min(q[0][1], q[1][1]), Math.max(q[2][1], q[3][1])];
}

function xRange(q: Quad): [number, number] {
  return [Math.min(q[0][0], q[3][0]), Math.max(q[1][0], q[2][0])];
}

/**
 * A detected box holding only "o" or "O" next to numbers on the same row is a zero: without
 * context the recognizer reads a lone 0 as a letter, which fills numeric tables with o's. Neighbours
 * count when they overlap the box vertically by half and lie within five box heights of it.
 * Works on upright-page lines; returns the lines with such words corrected.
 */
export function fixLoneZeros(lines: Line[]): Line[] {
  return lines.map((line) => {
    if (line.words.length !== 1 || !LONE_O.test(line.text)) return line;
    const [y0, y1] = yRange(line.quad);
    const [x0, x1] = xRange(line.quad);
    const h = Math.max(1, y1 - y0);
    const numericNeighbour = lines.some((other) => {
      if (other === line || !HAS_DIGIT.test(other.text)) return false;
      const [oy0, oy1] = yRange(other.quad);
      const overlap = Math.min(y1, oy1) - Math.max(y0, oy0);
      if (overlap < 0.5 * Math.min(h, oy1 - oy0)) return false;
      const [ox0, ox1] = xRange(other.quad);
      const distance = Math.max(ox0 - x1, x0 - ox1, 0);
      return distance <= 5 * h;
    });
    if (!numericNeighbour) return line;
    return { ...line, text: '0', words: [{ ...line.words[0]!, text: '0' }] };
  });
}
