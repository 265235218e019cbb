// @ts-check
// Small DOM helpers shared by the review page's modules.

export const SVG_NS = 'http://www.w3.org/2000/svg';
/** Same thresholds as the server's overlay (libs/documents image.overlay.ts). */
const CONFIDENCE = { high: 0.9, low: 0.7 };

/** @param {number | null | undefined} score */
export function confidenceClass(score) {
  if (score === null || score === undefined) return 'conf-none';
  if (score >= CONFIDENCE.high) return 'conf-high';
  if (score >= CONFIDENCE.low) return 'conf-mid';
  return 'conf-low';
}

/** @param {string} id @returns {HTMLElement} */
export function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el;
}

/** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node | string)[]} [children] */
export function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/** An SVG element in page pixels. @param {string} tag @param {Record<string, string | number>} [attrs] */
export function s(tag, attrs = {}) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A rect for a page-pixel box. @param {{ xmin: number, ymin: number, xmax: number, ymax: number }} b @param {string} cls */
export function boxRect(b, cls) {
  return s('rect', { x: b.xmin, y: b.ymin, width: b.xmax - b.xmin, height: b.ymax - b.ymin, 'vector-effect': 'non-scaling-stroke', class: cls });
}

/** @param {string} text @param {boolean} [bad] */
export function toast(text, bad = false) {
  const el = $('toast');
  el.textContent = text;
  el.classList.toggle('bad', bad);
  el.classList.add('show');
  clearTimeout(Number(el.dataset.timer));
  el.dataset.timer = String(setTimeout(() => el.classList.remove('show'), 2500));
}
