// @ts-check
// Pointer gestures on the page overlay, in page pixels: a click on a box or word, or a drag
// (a rectangle from where the button went down to where it came up). The SVG's viewBox is the
// page's pixel grid, so client coordinates are scaled by the overlay's displayed size.

/** Screen pixels the pointer must travel before a press counts as a drag. */
const DRAG_PX = 4;

/**
 * @typedef {{ xmin: number, ymin: number, xmax: number, ymax: number }} Box
 * @typedef {{ x: number, y: number }} Point
 */

/** @param {SVGSVGElement} svg @param {{ width: number, height: number }} page @param {{ clientX: number, clientY: number }} ev @returns {Point} */
export function pagePoint(svg, page, ev) {
  const r = svg.getBoundingClientRect();
  const clamp = (v, max) => Math.max(0, Math.min(max, v));
  return { x: clamp(((ev.clientX - r.left) / r.width) * page.width, page.width), y: clamp(((ev.clientY - r.top) / r.height) * page.height, page.height) };
}

/** The integer box spanned by two points. @param {Point} a @param {Point} b @returns {Box} */
export function spanBox(a, b) {
  return { xmin: Math.floor(Math.min(a.x, b.x)), ymin: Math.floor(Math.min(a.y, b.y)), xmax: Math.ceil(Math.max(a.x, b.x)), ymax: Math.ceil(Math.max(a.y, b.y)) };
}

/** `box` moved by (dx, dy), kept inside the page. @param {Box} box @param {number} dx @param {number} dy @param {{ width: number, height: number }} page @returns {Box} */
export function movedBox(box, dx, dy, page) {
  const w = box.xmax - box.xmin;
  const hgt = box.ymax - box.ymin;
  const xmin = Math.round(Math.max(0, Math.min(page.width - w, box.xmin + dx)));
  const ymin = Math.round(Math.max(0, Math.min(page.height - hgt, box.ymin + dy)));
  return { xmin, ymin, xmax: xmin + w, ymax: ymin + hgt };
}

/** @param {Box} a @param {Box} b */
export function intersects(a, b) {
  return a.xmin < b.xmax && b.xmin < a.xmax && a.ymin < b.ymax && b.ymin < a.ymax;
}

/** The union box of boxes (at least one). @param {Box[]} boxes @returns {Box} */
export function unionBox(boxes) {
  return {
    xmin: Math.min(...boxes.map((b) => b.xmin)),
    ymin: Math.min(...boxes.map((b) => b.ymin)),
    xmax: Math.max(...boxes.map((b) => b.xmax)),
    ymax: Math.max(...boxes.map((b) => b.ymax)),
  };
}

/**
 * Watches presses on the overlay. `target` is the box or word element pressed (null: the page).
 * @param {SVGSVGElement} svg
 * @param {() => { width: number, height: number } | null} currentPage
 * @param {{
 *   onClick: (target: Element | null, ev: PointerEvent) => void,
 *   onDragMove: (from: Point, to: Point, target: Element | null) => void,
 *   onDragEnd: (from: Point, to: Point, target: Element | null, ev: PointerEvent) => void,
 * }} handlers
 */
export function watchPointer(svg, currentPage, handlers) {
  /** @type {{ id: number, from: Point, x: number, y: number, target: Element | null, dragging: boolean } | null} */
  let press = null;
  svg.addEventListener('pointerdown', (ev) => {
    const page = currentPage();
    if (!page || ev.button !== 0) return;
    const target = /** @type {Element} */ (ev.target).closest('[data-prediction-id], [data-word-index]');
    press = { id: ev.pointerId, from: pagePoint(svg, page, ev), x: ev.clientX, y: ev.clientY, target, dragging: false };
    svg.setPointerCapture(ev.pointerId);
    ev.preventDefault();
  });
  svg.addEventListener('pointermove', (ev) => {
    const page = currentPage();
    if (!press || !page || ev.pointerId !== press.id) return;
    if (!press.dragging && Math.hypot(ev.clientX - press.x, ev.clientY - press.y) < DRAG_PX) return;
    press.dragging = true;
    handlers.onDragMove(press.from, pagePoint(svg, page, ev), press.target);
  });
  const end = (/** @type {PointerEvent} */ ev, /** @type {boolean} */ cancelled) => {
    const page = currentPage();
    if (!press || ev.pointerId !== press.id) return;
    const p = press;
    press = null;
    if (cancelled || !page) return;
    if (p.dragging) handlers.onDragEnd(p.from, pagePoint(svg, page, ev), p.target, ev);
    else handlers.onClick(p.target, ev);
  };
  svg.addEventListener('pointerup', (ev) => end(ev, false));
  svg.addEventListener('pointercancel', (ev) => end(ev, true));
}
