import { constants, inflateSync } from 'node:zlib';
import { decodePDFRawStream, ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { z } from 'zod';
import { scanContent } from './pdf.content-scan.ts';
import { jbig2Pixels, jpegPixels, jpxPixels } from './pdf.image-headers.ts';

/**
 * What one PDF page may ask of the renderer, checked before pdfjs parses or paints anything:
 * pdfjs keeps a page's whole decoded content and operator list in memory, so a few hundred KB
 * that inflate to hundreds of MB of operators cost gigabytes before the first pixel. A page over
 * a budget is refused at once (`too_complex`), not after its process reached the memory ceiling.
 */
export const pageBudgetSchema = z.object({
  /** Decoded content-stream bytes of a page, its form XObjects' and annotations' appearances included. @defaultValue 64 MiB */
  maxContentBytes: z.number().int().positive().default(64 * 1024 * 1024),
  /** Operators painted, a form counted as often as it is painted. @defaultValue 5_000_000 */
  maxOperators: z.number().int().positive().default(5_000_000),
  /** Path construction operators before one painting operator. @defaultValue 1_000_000 */
  maxPathSegments: z.number().int().positive().default(1_000_000),
  /** Decoded pixels of the page's images (each counted once, by the larger of its dictionary and codestream sizes). @defaultValue 100_000_000 */
  maxImagePixels: z.number().int().positive().default(100_000_000),
  /**
   * Bytes a Flate image stream may inflate to beyond what its declared size needs (pdfjs inflates
   * the whole stream, not just the rows it paints). @defaultValue 1 MiB
   */
  imageStreamSlack: z.number().int().nonnegative().default(1024 * 1024),
});

export type PageBudget = z.infer<typeof pageBudgetSchema>;
export type PageBudgetInput = z.input<typeof pageBudgetSchema>;

/** Which budget a page went over. */
export const PAGE_BUDGETS = ['content_bytes', 'operators', 'path_segments', 'image_pixels', 'image_stream_bytes'] as const;
export type PageBudgetName = (typeof PAGE_BUDGETS)[number];

/** A page over budget: the budget, its limit, and how much the page asks for (at least; counting stops past the limit). */
export interface BudgetExcess {
  budget: PageBudgetName;
  limit: number;
  found: number;
}

/** Checks pages of one opened PDF against a budget. */
export interface PdfBudgetCheck {
  /** The first budget page `index` (0-based) goes over, or undefined when it fits (or cannot be judged here). */
  check(index: number): BudgetExcess | undefined;
}

const NAME = {
  Filter: PDFName.of('Filter'),
  DecodeParms: PDFName.of('DecodeParms'),
  FlateDecode: PDFName.of('FlateDecode'),
  Subtype: PDFName.of('Subtype'),
  Image: PDFName.of('Image'),
  Form: PDFName.of('Form'),
  Resources: PDFName.of('Resources'),
  XObject: PDFName.of('XObject'),
  Width: PDFName.of('Width'),
  Height: PDFName.of('Height'),
  SMask: PDFName.of('SMask'),
  Mask: PDFName.of('Mask'),
  JBIG2Globals: PDFName.of('JBIG2Globals'),
  BitsPerComponent: PDFName.of('BitsPerComponent'),
  ColorSpace: PDFName.of('ColorSpace'),
  ImageMask: PDFName.of('ImageMask'),
  N: PDFName.of('N'),
  AP: PDFName.of('AP'),
} as const;

const COMPONENTS: Record<string, number> = { DeviceGray: 1, CalGray: 1, G: 1, Indexed: 1, I: 1, DeviceRGB: 3, CalRGB: 3, Lab: 3, RGB: 3 };

/**
 * Bytes an image's decoder needs from its stream: rows of width × components × bits, plus a
 * predictor byte per row. Unknown colour spaces count 4 components (the most a PDF image has).
 */
function declaredImageBytes(dict: PDFDict): number {
  const mask = dict.lookup(NAME.ImageMask);
  const bits = mask !== undefined && String(mask) === 'true' ? 1 : numberOf(dict, NAME.BitsPerComponent) || 8;
  const space = dict.lookup(NAME.ColorSpace);
  let components = 4;
  if (mask !== undefined && String(mask) === 'true') components = 1;
  else if (space instanceof PDFName) components = COMPONENTS[space.decodeText()] ?? 4;
  else if (space instanceof PDFArray) {
    const family = space.lookup(0);
    const name = family instanceof PDFName ? family.decodeText() : '';
    const profile = name === 'ICCBased' ? space.lookup(1) : undefined;
    const n = profile instanceof PDFRawStream ? profile.dict.lookup(NAME.N) : undefined;
    components = n instanceof PDFNumber ? n.asNumber() : (COMPONENTS[name] ?? 4);
  }
  return numberOf(dict, NAME.Height) * (Math.ceil((numberOf(dict, NAME.Width) * components * bits) / 8) + 1);
}

/** Deflate cannot expand more than ~1032:1; a stream that short cannot exceed `allowed` and is not inflated. */
const MAX_DEFLATE_RATIO = 1032;

class OverBudget extends Error {
  constructor(readonly excess: BudgetExcess) {
    super(`${excess.budget} over ${excess.limit}`);
  }
}

function filterNames(dict: PDFDict): string[] {
  const filter = dict.lookup(NAME.Filter);
  if (filter instanceof PDFName) return [filter.decodeText()];
  if (filter instanceof PDFArray) return filter.asArray().map((f) => (dict.context.lookup(f) instanceof PDFName ? (dict.context.lookup(f) as PDFName).decodeText() : ''));
  return [];
}

/**
 * A stream's decoded bytes, or at most `limit + 1` of them (the caller then knows it is over).
 * One Flate filter (the usual case) inflates natively; other chains use pdf-lib's decoders,
 * which stop at the asked length. Undefined when it cannot be decoded here (DCT, unknown
 * filters, predictors, damage): pdfjs decides about those, under the memory ceiling.
 */
function decodeBounded(stream: PDFRawStream, limit: number): Uint8Array | undefined {
  const filters = filterNames(stream.dict);
  if (stream.dict.lookup(NAME.DecodeParms) !== undefined) return undefined;
  if (filters.length === 0) return stream.contents.subarray(0, limit + 1);
  if (filters.length === 1 && filters[0] === 'FlateDecode') {
    try {
      // Sync flush: damaged or truncated streams still give what they hold, as pdfjs reads them.
      return inflateSync(stream.contents, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: limit + 1 });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return new Uint8Array(limit + 1);
    }
  }
  try {
    const bytes = decodePDFRawStream(stream).getBytes(limit + 1);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch {
    return undefined;
  }
}

function numberOf(dict: PDFDict, name: PDFName): number {
  const value = dict.lookup(name);
  return value instanceof PDFNumber ? Math.max(0, value.asNumber()) : 0;
}

/** What a content stream (a page's or a form's) costs, forms included; memoized per form. */
interface Cost {
  operators: number;
}

/**
 * Opens `bytes` with pdf-lib (objects parsed, streams left encoded) to check its pages against
 * `budget`. Undefined when pdf-lib cannot read the file or it is encrypted (its streams cannot be
 * read without the key): such pages are judged by the render process's memory ceiling only.
 */
export async function openPdfBudgetCheck(bytes: Uint8Array, budgetInput: PageBudgetInput = {}): Promise<PdfBudgetCheck | undefined> {
  const budget = pageBudgetSchema.parse(budgetInput);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false, parseSpeed: ParseSpeeds.Fastest });
  } catch {
    return undefined;
  }
  if (doc.isEncrypted) return undefined;
  let pages: ReturnType<PDFDocument['getPages']>;
  try {
    pages = doc.getPages();
  } catch {
    return undefined;
  }
  const context = doc.context;

  return {
    check(index) {
      const page = pages[index];
      if (!page) return undefined;
      let contentBytes = 0;
      let imagePixels = 0;
      const imagesSeen = new Set<PDFObject>();
      const forms = new Map<PDFObject, Cost>();

      const over = (name: PageBudgetName, limit: number, found: number) => {
        if (found > limit) throw new OverBudget({ budget: name, limit, found });
      };

      const decodeContent = (stream: PDFRawStream): Uint8Array | undefined => {
        const decoded = decodeBounded(stream, budget.maxContentBytes - contentBytes);
        if (!decoded) return undefined;
        contentBytes += decoded.length;
        over('content_bytes', budget.maxContentBytes, contentBytes);
        return decoded;
      };

      const countImage = (ref: PDFObject, stream: PDFRawStream) => {
        if (imagesSeen.has(ref)) return;
        imagesSeen.add(ref);
        const dict = stream.dict;
        let pixels = numberOf(dict, NAME.Width) * numberOf(dict, NAME.Height);
        const filters = filterNames(dict);
        // The decoder of the last filter sizes its buffers from the codestream's own header.
        if (filters.length === 1) {
          const raw = stream.contents;
          if (filters[0] === 'DCTDecode') pixels = Math.max(pixels, jpegPixels(raw) ?? 0);
          if (filters[0] === 'JPXDecode') pixels = Math.max(pixels, jpxPixels(raw) ?? 0);
          if (filters[0] === 'JBIG2Decode') {
            const parms = dict.lookup(NAME.DecodeParms);
            const globals = parms instanceof PDFDict ? parms.lookup(NAME.JBIG2Globals) : undefined;
            const chunks = globals instanceof PDFRawStream ? [globals.contents, raw] : [raw];
            pixels = Math.max(pixels, jbig2Pixels(...chunks) ?? 0);
          }
        }
        imagePixels += pixels;
        over('image_pixels', budget.maxImagePixels, imagePixels);
        // pdfjs inflates a Flate image whole: one that inflates far past its declared size is a bomb.
        if (filters.length === 1 && filters[0] === 'FlateDecode') {
          const allowed = declaredImageBytes(dict) + budget.imageStreamSlack;
          if (stream.contents.length * MAX_DEFLATE_RATIO > allowed) {
            try {
              inflateSync(stream.contents, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: allowed });
            } catch (err) {
              if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') over('image_stream_bytes', allowed, allowed + 1);
            }
          }
        }
        for (const maskName of [NAME.SMask, NAME.Mask]) {
          const maskRef = dict.get(maskName);
          const mask = dict.lookup(maskName);
          if (maskRef && mask instanceof PDFRawStream) countImage(maskRef, mask);
        }
      };

      /** Operators of `content` painted with `resources`, forms it paints included (each as often as painted). */
      const costOf = (streams: PDFRawStream[], resources: PDFDict | undefined): Cost => {
        let operators = 0;
        const xobjects = resources?.lookup(NAME.XObject);
        for (const stream of streams) {
          const decoded = decodeContent(stream);
          if (!decoded) continue;
          const scanned = scanContent(decoded);
          operators += scanned.operators;
          over('operators', budget.maxOperators, operators);
          over('path_segments', budget.maxPathSegments, scanned.longestPath);
          imagePixels += scanned.largestInlineImage;
          over('image_pixels', budget.maxImagePixels, imagePixels);
          if (!(xobjects instanceof PDFDict)) continue;
          for (const [name, times] of scanned.paints) {
            const ref = xobjects.get(PDFName.of(name));
            const xobject = xobjects.lookup(PDFName.of(name));
            if (!ref || !(xobject instanceof PDFRawStream)) continue;
            const subtype = xobject.dict.lookup(NAME.Subtype);
            if (subtype === NAME.Image) countImage(ref, xobject);
            else if (subtype === NAME.Form) {
              operators += times * formCost(ref, xobject, resources).operators;
              over('operators', budget.maxOperators, operators);
            }
          }
        }
        return { operators };
      };

      const formCost = (ref: PDFObject, form: PDFRawStream, inherited: PDFDict | undefined): Cost => {
        const known = forms.get(ref);
        if (known) return known;
        // A form painting itself: pdfjs stops the cycle; it counts once here.
        forms.set(ref, { operators: 0 });
        const own = form.dict.lookup(NAME.Resources);
        const cost = costOf([form], own instanceof PDFDict ? own : inherited);
        forms.set(ref, cost);
        return cost;
      };

      try {
        const contents = page.node.Contents();
        const streams: PDFRawStream[] = [];
        if (contents instanceof PDFRawStream) streams.push(contents);
        else if (contents instanceof PDFArray) {
          for (const item of contents.asArray()) {
            const stream = context.lookup(item);
            if (stream instanceof PDFRawStream) streams.push(stream);
          }
        }
        const resources = page.node.Resources();
        let operators = costOf(streams, resources).operators;
        // Annotations are painted from their appearance streams, forms like any other.
        const annots = page.node.Annots();
        for (const annot of annots?.asArray() ?? []) {
          const dict = context.lookup(annot);
          const ap = dict instanceof PDFDict ? dict.lookup(NAME.AP) : undefined;
          const normalRef = ap instanceof PDFDict ? ap.get(NAME.N) : undefined;
          const normal = ap instanceof PDFDict ? ap.lookup(NAME.N) : undefined;
          if (normalRef instanceof PDFRef && normal instanceof PDFRawStream) {
            operators += formCost(normalRef, normal, resources).operators;
            over('operators', budget.maxOperators, operators);
          }
        }
      } catch (err) {
        if (err instanceof OverBudget) return err.excess;
        // A structure pdf-lib cannot follow: pdfjs judges it, under the memory ceiling.
        return undefined;
      }
      return undefined;
    },
  };
}
