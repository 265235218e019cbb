/**
 * From ordered leaves to output blocks: each row becomes one line (its fragments merged left to
 * right), tables become `table` blocks, and consecutive lines are grouped into paragraphs by
 * spacing, size and alignment; short, tall, lone lines become headings.
 */
import type { Block, Line } from '../page.ts';
import { type Box, boxHeight, boxWidth, overlapX, unionBoxes } from '../geometry/index.ts';
import { type Frame, type Fragment, fragmentsToLine, fromFrameBox } from './fragments.ts';
import type { Leaf } from './reading-order.ts';
import { fontSizeOf } from './ink-extent.ts';
import { findTables } from './tables.ts';

/** Thresholds; lengths in multiples of a line height. */
export const BLOCK_RULES = {
  /** A blank wider than this many (smaller) line heights between two lines starts a new paragraph. */
  paragraphGap: 0.75,
  /** Lines whose heights differ by more than this factor belong to different paragraphs. */
  sizeRatio: 1.3,
  /** Lines sharing less than this share of the narrower width are not one paragraph. */
  minOverlap: 0.25,
  /** A heading's font is at least this many times the page's median font size (`fontSizeOf`)… */
  headingHeight: 1.3,
  /** …has at most this many lines… */
  headingMaxLines: 2,
  /** …at most this many characters… */
  headingMaxChars: 120,
  /** …at least this share of letters among its marks (never a line of numbers)… */
  headingMinLetters: 0.5,
  /** …and blank space of at least this many of its own heights above or below it (or it opens or closes its column). */
  headingIsolation: 0.4,
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

/**
 * Blocks of one leaf, in reading order. `h`: the page's median line height, px; `fontSize`: its
 * median font size (`fontSizeOf`), px.
 */
export function leafToBlocks(leaf: Leaf, frame: Frame, h: number, fontSize: number): Block[] {
  const blocks: Block[] = [];
  for (const seg of findTables(leaf.rows, h)) {
    if (seg.kind === 'table') blocks.push(tableBlock(seg.cells, frame));
    else blocks.push(...paragraphs(seg.rows.map((r) => place(r, frame)), frame, fontSize));
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

function paragraphs(lines: readonly PlacedLine[], frame: Frame, fontSize: number): Block[] {
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
  return groups.map((g, i) => ({
    kind: kindOf(g, fontSize, isolated(g, groups[i - 1], groups[i + 1])),
    quad: fromFrameBox(unionBoxes(g.map((l) => l.box)), frame),
    lines: g.map((l) => l.line),
  }));
}

/** Whether a group stands apart: blank space above or below of a share of its height, or nothing there. */
function isolated(g: readonly PlacedLine[], before: readonly PlacedLine[] | undefined, after: readonly PlacedLine[] | undefined): boolean {
  const top = g[0]!.box.y0;
  const bottom = g[g.length - 1]!.box.y1;
  const height = Math.max(...g.map((l) => boxHeight(l.box)));
  const above = before ? top - before[before.length - 1]!.box.y1 : Infinity;
  const below = after ? after[0]!.box.y0 - bottom : Infinity;
  return Math.max(above, below) >= BLOCK_RULES.headingIsolation * height;
}

/**
 * Whether text reads as a title: mostly letters, with a word of two letters or more, and not a
 * sentence (four words or more closed by a full stop). Totals, codes and dates are not headings.
 */
function titleLike(text: string): boolean {
  const marks = text.replace(/\s+/g, '');
  if (marks.length === 0) return false;
  const letters = (marks.match(/\p{L}/gu) ?? []).length;
  if (letters < BLOCK_RULES.headingMinLetters * marks.length || !/\p{L}{2}/u.test(text)) return false;
  const words = text.trim().split(/\s+/);
  return !(words.length >= 4 && /[.!?]$/.test(text.trim()) && !/\.\.\.$/.test(text.trim()));
}

/**
 * A heading only from evidence: a larger font than the body's (the page's median font size), short,
 * standing apart from its neighbours, and reading as a title.
 */
function kindOf(g: readonly PlacedLine[], fontSize: number, apart: boolean): Block['kind'] {
  const first = g[0];
  if (first && startsItem(first) && g.filter(startsItem).length >= 2) return 'list';
  const tall = g.every((l) => fontSizeOf(l.line, boxHeight(l.box)) >= BLOCK_RULES.headingHeight * fontSize);
  const text = g.map((l) => l.line.text).join(' ');
  if (tall && apart && g.length <= BLOCK_RULES.headingMaxLines && text.length <= BLOCK_RULES.headingMaxChars && titleLike(text)) return 'heading';
  return 'paragraph';
}
