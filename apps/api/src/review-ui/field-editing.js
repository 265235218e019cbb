// @ts-check
// Editing the fields of a custom model's page on the overlay: words selected by click or drag and
// added as a field (their union box and text), a field's box moved by dragging it or drawn again,
// a field deleted. Everything goes through the review API; the page is reloaded after each change.
import { $, boxRect, toast } from './dom.js';
import { intersects, movedBox, spanBox, unionBox } from './page-pointer.js';

/**
 * @typedef {{
 *   state: { page: any, selectedWords: Set<number>, drawingId: string | null },
 *   api: (path: string, init?: RequestInit) => Promise<Response>,
 *   refresh: () => Promise<void>,
 *   renderBoxes: () => void,
 *   renderPage: () => void,
 *   openEditor: (id: string) => void,
 * }} FieldEditingContext
 */

/** @param {FieldEditingContext} ctx */
export function createFieldEditing(ctx) {
  /** The drag preview: the rectangle being drawn, or the box being moved. @param {{ xmin: number, ymin: number, xmax: number, ymax: number } | null} box */
  function showPreview(box) {
    const svg = $('boxes');
    svg.querySelector('rect.marquee')?.remove();
    if (box) svg.append(boxRect(box, 'marquee'));
  }

  function renderSelection() {
    const p = ctx.state.page;
    const count = ctx.state.selectedWords.size;
    $('add-field').hidden = !p || p.categories.length === 0;
    /** @type {HTMLButtonElement} */ ($('add-field-button')).disabled = count === 0;
    $('selection').textContent = count ? `${count} word${count === 1 ? '' : 's'}: “${selectedText()}”` : 'Click or drag over words on the page to select them.';
    $('draw-hint').hidden = !ctx.state.drawingId;
  }

  /** The selected words in reading order. */
  function selectedWords() {
    return [...ctx.state.selectedWords].sort((a, b) => a - b).map((i) => ctx.state.page.words[i]);
  }

  function selectedText() {
    return selectedWords()
      .map((w) => w.text)
      .join(' ');
  }

  /** A click toggles a word's selection, or opens a box's text editor. @param {Element | null} target */
  function onPageClick(target) {
    const p = ctx.state.page;
    if (!p || !target) return;
    const word = target.getAttribute('data-word-index');
    if (word !== null) {
      const i = Number(word);
      if (ctx.state.selectedWords.has(i)) ctx.state.selectedWords.delete(i);
      else ctx.state.selectedWords.add(i);
      ctx.renderBoxes();
      return;
    }
    const id = target.getAttribute('data-prediction-id');
    if (id) ctx.openEditor(id);
  }

  /** The field a drag that started on `target` moves (custom models only, not while drawing). @param {Element | null} target */
  function movingField(target) {
    const p = ctx.state.page;
    if (ctx.state.drawingId || p.categories.length === 0) return undefined;
    return p.predictions.find((b) => b.id === target?.getAttribute('data-prediction-id'));
  }

  /** @param {{ x: number, y: number }} from @param {{ x: number, y: number }} to @param {Element | null} target */
  function onPageDragMove(from, to, target) {
    const moving = movingField(target);
    showPreview(moving ? movedBox(moving, to.x - from.x, to.y - from.y, ctx.state.page) : spanBox(from, to));
  }

  /**
   * A drag draws the box of the field chosen with "Box", moves the field it started on, or selects
   * the words it crosses (shift adds to the selection).
   * @param {{ x: number, y: number }} from @param {{ x: number, y: number }} to @param {Element | null} target @param {PointerEvent} ev
   */
  async function onPageDragEnd(from, to, target, ev) {
    const p = ctx.state.page;
    showPreview(null);
    if (ctx.state.drawingId) {
      const id = ctx.state.drawingId;
      ctx.state.drawingId = null;
      const box = spanBox(from, to);
      if (box.xmax - box.xmin < 2 || box.ymax - box.ymin < 2) return ctx.renderPage();
      return patchField(id, box, 'Box drawn');
    }
    const moving = movingField(target);
    if (moving) return patchField(moving.id, movedBox(moving, to.x - from.x, to.y - from.y, p), 'Box moved');
    if (p.categories.length === 0) return;
    const area = spanBox(from, to);
    if (!ev.shiftKey) ctx.state.selectedWords.clear();
    p.words.forEach((w, i) => intersects(w, area) && ctx.state.selectedWords.add(i));
    ctx.renderBoxes();
  }

  /** @param {string} id @param {Record<string, unknown>} patch @param {string} done */
  async function patchField(id, patch, done) {
    await ctx.api(`/v1/review/pages/${ctx.state.page.id}/predictions/${id}`, { method: 'PATCH', body: JSON.stringify(patch) });
    await ctx.refresh();
    toast(done);
  }

  /** Adds the selected words as a field of the chosen category: their union box and their text. */
  async function addFieldFromWords() {
    const p = ctx.state.page;
    const words = selectedWords();
    if (!p || words.length === 0) return;
    const label = /** @type {HTMLSelectElement} */ ($('new-category')).value;
    await ctx.api(`/v1/review/pages/${p.id}/predictions`, { method: 'POST', body: JSON.stringify({ label, type: 'field', ...unionBox(words), ocr_text: selectedText() }) });
    ctx.state.selectedWords.clear();
    await ctx.refresh();
    toast(`Added ${label}`);
  }

  /** @param {string} id */
  async function deleteField(id) {
    await ctx.api(`/v1/review/pages/${ctx.state.page.id}/predictions/${id}`, { method: 'DELETE' });
    await ctx.refresh();
    toast('Deleted');
  }

  return { showPreview, renderSelection, onPageClick, onPageDragMove, onPageDragEnd, patchField, addFieldFromWords, deleteField };
}
