import type { PixelBox, TextLayerPoint, TextLayerQuad } from './text-layer.types.ts';

/** A PDF affine matrix `[a, b, c, d, e, f]`: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** Six finite numbers (an array or typed array) as a matrix; null for anything else. */
export function matrixOf(value: unknown): Matrix | null {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return null;
  const m = Array.from(value as ArrayLike<number>);
  return m.length === 6 && m.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (m as Matrix) : null;
}

/** `inner` applied first, then `outer` (PDF's `inner × outer`, as `cm` concatenates onto the CTM). */
export function multiplyMatrix(outer: Matrix, inner: Matrix): Matrix {
  const [a, b, c, d, e, f] = outer;
  const [a2, b2, c2, d2, e2, f2] = inner;
  return [
    a * a2 + c * b2,
    b * a2 + d * b2,
    a * c2 + c * d2,
    b * c2 + d * d2,
    a * e2 + c * f2 + e,
    b * e2 + d * f2 + f,
  ];
}

export function applyMatrix(m: Matrix, [x, y]: TextLayerPoint): TextLayerPoint {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** Axis-aligned bounds of some points. */
export function boundsOf(points: readonly TextLayerPoint[]): PixelBox {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

export function quadCenter(q: readonly TextLayerPoint[]): TextLayerPoint {
  return [q.reduce((s, p) => s + p[0], 0) / q.length, q.reduce((s, p) => s + p[1], 0) / q.length];
}

export function boxContains(box: PixelBox, [x, y]: TextLayerPoint): boolean {
  return x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
}

export function intersectBoxes(a: PixelBox, b: PixelBox): PixelBox | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const r = Math.min(a.x + a.width, b.x + b.width);
  const btm = Math.min(a.y + a.height, b.y + b.height);
  return r > x && btm > y ? { x, y, width: r - x, height: btm - y } : null;
}

export const boxArea = (b: PixelBox): number => b.width * b.height;

export function roundQuad(q: TextLayerQuad, digits = 2): TextLayerQuad {
  const k = 10 ** digits;
  return q.map(([x, y]) => [Math.round(x * k) / k, Math.round(y * k) / k]) as TextLayerQuad;
}

/**
 * Boxes bucketed on a coarse grid, so "which boxes hold this point" costs a few checks instead
 * of one per box (table pages paint thousands of cell fills under thousands of glyphs).
 */
const clampCell = (v: number): number => Math.min(4095, Math.max(0, Math.floor(v)));

export class BoxIndex<T extends { box: PixelBox }> {
  private readonly cells = new Map<number, T[]>();
  private readonly cell: number;

  constructor(
    items: readonly T[],
    private readonly bounds: PixelBox,
    grid = 32,
  ) {
    this.cell = Math.max(bounds.width, bounds.height, 1) / grid;
    for (const item of items) {
      const [c0, r0] = this.cellOf(item.box.x, item.box.y);
      const [c1, r1] = this.cellOf(item.box.x + item.box.width, item.box.y + item.box.height);
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const key = r * 4096 + c;
          const list = this.cells.get(key);
          if (list) list.push(item);
          else this.cells.set(key, [item]);
        }
      }
    }
  }

  private cellOf(x: number, y: number): [number, number] {
    return [clampCell((x - this.bounds.x) / this.cell), clampCell((y - this.bounds.y) / this.cell)];
  }

  /** Items whose box contains `point`. */
  at(point: TextLayerPoint): T[] {
    const [c, r] = this.cellOf(point[0], point[1]);
    return (this.cells.get(r * 4096 + c) ?? []).filter((item) => boxContains(item.box, point));
  }

  /** Whether an item whose box contains `point` passes `test` (`at(point).some(test)` without the array: called per glyph). */
  someAt(point: TextLayerPoint, test: (item: T) => boolean): boolean {
    const c = clampCell((point[0] - this.bounds.x) / this.cell);
    const r = clampCell((point[1] - this.bounds.y) / this.cell);
    const list = this.cells.get(r * 4096 + c);
    if (!list) return false;
    for (const item of list) if (boxContains(item.box, point) && test(item)) return true;
    return false;
  }
}
