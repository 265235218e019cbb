/**
 * From ordered leaves to output blocks: each row becomes one line (its fragments merged left to
 * right), tables become `table` blocks, and consecutive lines are grouped into paragraphs by
 * spacing, size and alignment; short, tall, lone lines become headings.
 */
import type { Block, Line } from '../page.ts';
import { type Box, boxHeight, boxWidth, overlapX, unionBoxes } from '../geometry/index.ts';
import { type Frame, type Fragment, fragmentsToLine, fromFrameBox } from './fragments.ts';
import type { Leaf } from './reading-order.ts';
import { findTables } from './tables.ts';

/** Thresholds; lengths in multiples of a line height. */
export const BLOCK_RULES = {
  /** A blank wider than this many (smaller) line heights between two lines starts a new paragraph. */
  paragraphGap: 0.75,
  /** Lines whose heights differ by more than this factor belong to different paragraphs. */
  sizeRatio: 1.3,
  /** Lines sharing less than this share of the narrower width are not one paragraph. */
  minOverlap: 0.25,
  /** A heading is at least this many page median line heights tall… */
  headingHeight: 1.3,
  /** …has at most this many lines… */
  headingMaxLines: 2,
  /** …and at most this many characters. */
  headingMaxChars: 120,
} as const;

/** A bullet or an enumerator (`•`, `-`, `1.`, `(a)`, `iv)`) followed by a space. */
const LIST_MARKER = /^(?:[•·▪◦●■□➢►*\-–—]|\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)])\s+\S/u;

interface PlacedLine {
  line: Line;
  /** Layout-frame box. */
  box: Box;
}

function place(frags: readonly Fragment[], frame: Frame): PlacedLine {
  return { line: fragmentsToLine(frags, frame), box: unionBoxes(frags.map((f) => f.box)) };
}

/** Blocks of one leaf, in reading order. `h`: the page's median line height, px. */
export function leafToBlocks(leaf: Leaf, frame: Frame, h: number): Block[] {
  const blocks: Block[] = [];
  for (const seg of findTables(leaf.rows, h)) {
    if (seg.kind === 'table') blocks.push(tableBlock(seg.cells, frame));
    else blocks.push(...paragraphs(seg.rows.map((r) => place(r, frame)), frame, h));
  }
  return blocks;
}

function tableBlock(cells: readonly Fragment[][][], frame: Frame): Block {
  const lines: Line[] = [];
  const boxes: Box[] = [];
  const rows = cells.map((row) =>
    row.map((cell) => {
      if (cell.length === 0) return [];
      const p = place(cell, frame);
      lines.push(p.line);
      boxes.push(p.box);
      return [lines.length - 1];
    }),
  );
  return { kind: 'table', quad: fromFrameBox(unionBoxes(boxes), frame), lines, table: { rows } };
}

function startsItem(l: PlacedLine): boolean {
  return LIST_MARKER.test(l.line.text.trimStart());
}

/** Whether `cur` continues the paragraph whose last line is `prev`. */
function continues(prev: PlacedLine, cur: PlacedLine, curIsItem: boolean, listSoFar: boolean): boolean {
  const hp = boxHeight(prev.box);
  const hc = boxHeight(cur.box);
  if (cur.box.y0 - prev.box.y1 > BLOCK_RULES.paragraphGap * Math.min(hp, hc)) return false;
  if (Math.max(hp, hc) > BLOCK_RULES.sizeRatio * Math.min(hp, hc)) return false;
  if (overlapX(prev.box, cur.box) < BLOCK_RULES.minOverlap * Math.min(boxWidth(prev.box), boxWidth(cur.box))) return false;
  // A bullet after plain text opens a list; inside a list each bullet is one more item.
  if (curIsItem && !listSoFar) return false;
  return true;
}

function paragraphs(lines: readonly PlacedLine[], frame: Frame, h: number): Block[] {
  const groups: PlacedLine[][] = [];
  let listSoFar = false;
  for (const l of lines) {
    const cur = groups[groups.length - 1];
    const prev = cur?.[cur.length - 1];
    const item = startsItem(l);
    if (cur && prev && continues(prev, l, item, listSoFar)) {
      cur.push(l);
      listSoFar ||= item;
    } else {
      groups.push([l]);
      listSoFar = item;
    }
  }
  return groups.map((g) => ({
    kind: kindOf(g, h),
    quad: fromFrameBox(unionBoxes(g.map((l) => l.box)), frame),
    lines: g.map((l) => l.line),
  }));
}

function kindOf(g: readonly PlacedLine[], h: number): Block['kind'] {
  const first = g[0];
  if (first && startsItem(first) && g.filter(startsItem).length >= 2) return 'list';
  const tall = g.every((l) => boxHeight(l.box) >= BLOCK_RULES.headingHeight * h);
  const chars = g.reduce((n, l) => n + l.line.text.length, 0);
  if (tall && g.length <= BLOCK_RULES.headingMaxLines && chars <= BLOCK_RULES.headingMaxChars) return 'heading';
  return 'paragraph';
}
