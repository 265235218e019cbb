/**
 * Generated shipping labels for custom-model tests: a sender, a tracking number and a weight among
 * distractor lines whose order changes from label to label (a document type nothing in Folio
 * knows, so nothing learned is receipt-specific). `label(seed)` is deterministic.
 */
export const FONT = 28;
export const PAD = 30;
export const LINE = Math.round(FONT * 1.6);
export const WIDTH = 900;

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

const NAMES = ['NORTHWIND', 'BLUE HARBOR', 'KESTREL', 'ORCHARD', 'GRANITE', 'SILVER OAK', 'PALOMA', 'RIVERSIDE', 'FJORD', 'MERIDIAN', 'CEDAR', 'LANTERN'];
const SUFFIX = ['TRADING', 'SUPPLY CO', 'GOODS', 'WORKS', 'OUTFITTERS'];

export interface Label {
  lines: string[];
  values: { sender: string; tracking_number: string; weight: string };
  rows: { sender: number; tracking_number: number; weight: number };
}

export function label(seed: number): Label {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const sender = `${pick(NAMES)} ${pick(SUFFIX)}`;
  const tracking = `TRK${digits(9)}`;
  const weight = `${1 + Math.floor(r() * 40)}.${digits(1)}`;
  const middle = [`ORDER ${digits(6)}`, `TRACKING NO ${tracking}`, `WEIGHT ${weight} KG`, `DATE 2024-0${1 + Math.floor(r() * 9)}-1${digits(1)}`];
  // Distractors and fields swap places, so the place of a line alone does not name it.
  for (let i = middle.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [middle[i], middle[j]] = [middle[j] as string, middle[i] as string];
  }
  const lines = ['SHIPPING LABEL', `FROM ${sender}`, `${digits(3)} ${pick(NAMES)} ROAD`, ...middle];
  const row = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
  return { lines, values: { sender, tracking_number: tracking, weight }, rows: { sender: row('FROM '), tracking_number: row('TRACKING'), weight: row('WEIGHT') } };
}

export const lineBox = (row: number) => ({ xmin: PAD - 5, ymin: PAD + row * LINE, xmax: WIDTH - PAD, ymax: PAD + row * LINE + LINE });
