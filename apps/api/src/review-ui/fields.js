// @ts-check
// The fields of a custom model's page, grouped by category: each with its value (editable), score,
// and buttons to draw its box again or delete it. Pages of full-text models list their boxes.
import { confidenceClass, h } from './dom.js';

/**
 * @typedef {{
 *   onSelect: (id: string) => void,
 *   onSave: (id: string, text: string) => void,
 *   onDraw: (id: string) => void,
 *   onDelete: (id: string) => void,
 * }} FieldHandlers
 */

/** @param {any} b @param {FieldHandlers} on @param {string | null} drawingId */
function fieldItem(b, on, drawingId) {
  const input = /** @type {HTMLInputElement} */ (h('input', { class: 'field-value', type: 'text', value: b.ocr_text, 'aria-label': `${b.label} value`, spellcheck: 'false' }));
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      if (input.value !== b.ocr_text) on.onSave(b.id, input.value);
    }
  });
  input.addEventListener('focus', () => on.onSelect(b.id));
  const draw = h('button', { type: 'button', class: `draw${drawingId === b.id ? ' active' : ''}`, title: 'Drag on the page to draw this field`s box' }, ['Box']);
  draw.addEventListener('click', () => on.onDraw(b.id));
  const del = h('button', { type: 'button', class: 'delete', title: 'Delete this field' }, ['Delete']);
  del.addEventListener('click', () => on.onDelete(b.id));
  return h('li', { 'data-prediction-id': b.id, class: b.source === 'moderator' ? 'moderator' : '' }, [
    h('span', { class: `score ${confidenceClass(b.score)}` }, [b.score.toFixed(2)]),
    input,
    draw,
    del,
  ]);
}

/**
 * Renders `page.predictions` into `list`: by category when the page's model has categories
 * (every category shown, empty ones too, so a missing field is visible), else one line per box.
 * @param {HTMLElement} list @param {any} page @param {FieldHandlers} on @param {string | null} drawingId
 */
export function renderFields(list, page, on, drawingId) {
  if (page.categories.length === 0) {
    list.replaceChildren(
      ...page.predictions.map((b) => {
        const li = h('li', { 'data-prediction-id': b.id }, [h('span', { class: `score ${confidenceClass(b.score)}` }, [b.score.toFixed(2)]), b.ocr_text || `(${b.label})`]);
        li.addEventListener('click', () => on.onSelect(b.id));
        return li;
      }),
    );
    return;
  }
  const known = new Set(page.categories);
  // Boxes of other labels (a category renamed since) are shown under their own label.
  const labels = [...page.categories, ...new Set(page.predictions.map((b) => b.label).filter((l) => !known.has(l)))];
  list.replaceChildren(
    ...labels.map((label) => {
      const fields = page.predictions.filter((b) => b.label === label);
      return h('li', { class: 'category', 'data-category': label }, [
        h('h3', {}, [label, h('span', { class: 'muted' }, [` · ${fields.length}`])]),
        fields.length ? h('ol', { class: 'fields' }, fields.map((b) => fieldItem(b, on, drawingId))) : h('p', { class: 'muted empty-field' }, ['No value: select its words on the page and add it.']),
      ]);
    }),
  );
}
