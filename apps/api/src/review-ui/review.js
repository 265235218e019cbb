// @ts-check
// Folio review page: a vanilla ES module over the review API (/v1/review/...). No build step.
// Keys: a approve, r reject, j/k next/previous page; click a box (or its line in the list) to edit
// its text, Enter saves, Esc cancels. On a custom model's page: drag a field to move it, "Box" then
// drag to draw it again, click or drag over words to select them and add them as a field.

import { createApi, ApiError } from './api.js';
import { $, boxRect, confidenceClass, h, s, toast } from './dom.js';
import { createFieldEditing } from './field-editing.js';
import { renderFields } from './fields.js';
import { watchPointer } from './page-pointer.js';

const KEY_STORAGE = 'folio.review.apiKey';
const QUEUE_PAGE = 50;

const state = {
  /** @type {string | null} */
  key: localStorage.getItem(KEY_STORAGE),
  /** @type {any[]} */
  queue: [],
  /** @type {string | null} */
  nextCursor: null,
  /** @type {string | null} */
  currentId: null,
  /** Queue position of the current page when it was selected (it may leave the queue on approve). */
  currentIndex: -1,
  /** @type {any | null} */
  page: null,
  /** @type {string | null} */
  imageUrl: null,
  /** @type {string | null} */
  editingId: null,
  /** The field whose box the next drag draws. @type {string | null} */
  drawingId: null,
  /** Indexes into `page.words` of the selected words. @type {Set<number>} */
  selectedWords: new Set(),
  busy: false,
};

const api = createApi(() => state.key, () => signOut('The API key was refused; enter a valid one.'));
const editing = createFieldEditing({
  state,
  api,
  refresh: async () => {
    await reloadPage();
    await loadQueue();
  },
  renderBoxes: () => renderBoxes(),
  renderPage: () => renderPage(),
  openEditor: (id) => openEditor(id),
});

/** @param {unknown} err */
function report(err) {
  if (err instanceof ApiError && err.status === 401) return;
  toast(err instanceof Error ? err.message : String(err), true);
}

// ---- sign in -------------------------------------------------------------------------------

/** @param {string} [message] */
function signOut(message = '') {
  localStorage.removeItem(KEY_STORAGE);
  state.key = null;
  $('app').hidden = true;
  $('login').hidden = false;
  $('sign-out').hidden = true;
  $('signed-in').textContent = '';
  $('login-error').textContent = message;
  /** @type {HTMLInputElement} */ ($('api-key')).focus();
}

async function signIn() {
  const models = await (await api('/v1/review/models')).json();
  $('login').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('signed-in').textContent = `key ${String(state.key).slice(0, 10)}…`;
  const select = /** @type {HTMLSelectElement} */ ($('filter-model'));
  select.replaceChildren(h('option', { value: '' }, ['All models']));
  for (const m of models.data) select.append(h('option', { value: m.id }, [`${m.name} (${m.id.slice(0, 8)})`]));
  await loadQueue({ select: true });
}

// ---- queue ---------------------------------------------------------------------------------

function queueQuery() {
  const q = new URLSearchParams({ limit: String(QUEUE_PAGE) });
  const model = /** @type {HTMLSelectElement} */ ($('filter-model')).value;
  const st = /** @type {HTMLSelectElement} */ ($('filter-state')).value;
  if (model) q.set('model_id', model);
  q.set('state', st);
  return q;
}

/** @param {{ select?: boolean, more?: boolean }} [opts] */
async function loadQueue(opts = {}) {
  const q = queueQuery();
  if (opts.more && state.nextCursor) q.set('cursor', state.nextCursor);
  const body = await (await api(`/v1/review/pages?${q}`)).json();
  state.queue = opts.more ? [...state.queue, ...body.data] : body.data;
  state.nextCursor = body.next_cursor;
  $('queue-count').textContent = `${body.total} page${body.total === 1 ? '' : 's'} in the queue`;
  $('load-more').hidden = !state.nextCursor;
  renderQueue();
  if (opts.select && state.queue.length > 0 && !state.currentId) await selectPage(state.queue[0].id);
}

function renderQueue() {
  const list = $('queue');
  list.replaceChildren(
    ...state.queue.map((p) => {
      // The score the queue sorts on: the page's lowest field, else its lowest word.
      const key = p.min_field_score ?? p.min_word_score ?? p.min_confidence;
      const conf = key === null ? '—' : key.toFixed(2);
      const li = h('li', { 'data-page-id': p.id, 'data-file-id': p.file_id, class: confidenceClass(key), role: 'option', 'aria-selected': String(p.id === state.currentId) }, [
        h('span', { class: 'name', title: p.filename }, [`${p.filename} · p.${p.page + 1}`]),
        h('span', { class: 'conf' }, [conf]),
        h('span', { class: 'sub' }, [`${p.moderation_state} · day ${p.day_since_epoch}`]),
      ]);
      li.addEventListener('click', () => selectPage(p.id).catch(report));
      return li;
    }),
  );
}

/** @param {1 | -1} step */
async function move(step) {
  if (state.queue.length === 0) return;
  const at = state.queue.findIndex((p) => p.id === state.currentId);
  let target;
  if (at !== -1) target = at + step;
  // The current page left the queue (approved under the unmoderated filter): the next one took its place.
  else target = step === 1 ? state.currentIndex : state.currentIndex - 1;
  if (target >= state.queue.length && state.nextCursor) await loadQueue({ more: true });
  target = Math.max(0, Math.min(target, state.queue.length - 1));
  const next = state.queue[target];
  if (next && next.id !== state.currentId) await selectPage(next.id);
}

// ---- one page ------------------------------------------------------------------------------

/** @param {string} id */
async function selectPage(id) {
  closeEditor();
  state.drawingId = null;
  state.selectedWords.clear();
  state.currentId = id;
  state.currentIndex = state.queue.findIndex((p) => p.id === id);
  renderQueue();
  const [detail, image] = await Promise.all([
    api(`/v1/review/pages/${id}`).then((r) => r.json()),
    api(`/v1/review/pages/${id}/image`).then((r) => r.blob()),
  ]);
  if (state.currentId !== id) return; // another page was chosen meanwhile
  if (state.imageUrl) URL.revokeObjectURL(state.imageUrl);
  state.imageUrl = URL.createObjectURL(image);
  const img = /** @type {HTMLImageElement} */ ($('page-image'));
  img.src = state.imageUrl;
  state.page = detail;
  renderPage();
}

async function reloadPage() {
  if (!state.currentId) return;
  state.page = await (await api(`/v1/review/pages/${state.currentId}`)).json();
  renderPage();
}

function renderPage() {
  const p = state.page;
  $('empty').hidden = Boolean(p);
  $('stage').hidden = !p;
  for (const id of ['approve', 'reject', 'reset', 'revert']) /** @type {HTMLButtonElement} */ ($(id)).disabled = !p;
  if (!p) return;
  const stateBadge = h('span', { id: 'page-state', class: `state ${p.moderation_state}` }, [p.moderation_state]);
  const rows = [
    ['File', p.filename],
    ['Page', `${p.page + 1}`],
    ['State', stateBadge],
    ['Lowest score', p.min_confidence === null ? '—' : p.min_confidence.toFixed(3)],
    ...(p.categories.length ? [['Lowest field', p.min_field_score === null ? '—' : p.min_field_score.toFixed(3)]] : []),
    ['Size', `${p.width} × ${p.height} px`],
    ['Day', String(p.day_since_epoch)],
    ['Page id', p.id],
  ];
  $('page-meta').replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, [k]), h('dd', {}, [v])]));
  renderBoxes();
  renderPredictionList();
  renderEvents();
}

/** What a box's label reads: the category and value of a field, the text of a full-text box. @param {any} b */
function boxCaption(b) {
  return state.page.categories.length ? `${b.label}: ${b.ocr_text} · ${b.score.toFixed(2)}` : `${b.ocr_text} · ${b.score.toFixed(2)}`;
}

function renderBoxes() {
  const p = state.page;
  const svg = $('boxes');
  const showText = /** @type {HTMLInputElement} */ ($('show-text')).checked;
  const fieldsMode = p.categories.length > 0;
  // The viewBox is the page's pixel grid; the SVG stretches over the displayed image, so boxes scale with it.
  svg.setAttribute('viewBox', `0 0 ${p.width} ${p.height}`);
  // Words under the fields, to be selected into a new field (custom models only).
  const words = fieldsMode
    ? p.words.map((w, i) => {
        const r = boxRect(w, `word${state.selectedWords.has(i) ? ' picked' : ''}`);
        r.dataset.wordIndex = String(i);
        r.dataset.text = w.text;
        return r;
      })
    : [];
  const rects = p.predictions.map((b) => {
    const r = boxRect(b, `${confidenceClass(b.score)}${b.source === 'moderator' ? ' moderator' : ''}${b.id === state.editingId || b.id === state.drawingId ? ' selected' : ''}${fieldsMode ? ' field' : ''}`);
    r.dataset.predictionId = b.id;
    r.dataset.text = b.ocr_text;
    r.dataset.label = b.label;
    const title = s('title');
    title.textContent = `${b.label}: ${b.ocr_text} (${b.score.toFixed(2)}, ${b.source})`;
    r.append(title);
    return r;
  });
  // What was read, written just above each box in page pixels (so it scales too), to compare with the image.
  const labels = showText
    ? p.predictions.map((b) => {
        const size = Math.max(8, Math.min(32, Math.round((b.ymax - b.ymin) * 0.45)));
        const t = s('text', { x: b.xmin, y: Math.max(size, b.ymin - 3), 'font-size': size, class: `label ${confidenceClass(b.score)}` });
        t.textContent = boxCaption(b);
        return t;
      })
    : [];
  svg.replaceChildren(...words, ...rects, ...labels);
  editing.renderSelection();
}

function renderPredictionList() {
  const p = state.page;
  $('predictions-title').textContent = p.categories.length ? 'Fields' : 'Boxes';
  const select = /** @type {HTMLSelectElement} */ ($('new-category'));
  const chosen = select.value;
  select.replaceChildren(...p.categories.map((c) => h('option', { value: c }, [c])));
  if (p.categories.includes(chosen)) select.value = chosen;
  renderFields(
    $('predictions'),
    p,
    {
      onSelect: (id) => {
        if (p.categories.length === 0) openEditor(id);
      },
      onSave: (id, text) => editing.patchField(id, { ocr_text: text }, 'Saved').catch(report),
      onDraw: (id) => {
        state.drawingId = state.drawingId === id ? null : id;
        renderPage();
      },
      onDelete: (id) => editing.deleteField(id).catch(report),
    },
    state.drawingId,
  );
}

/** @param {any} e */
function describeEvent(e) {
  const before = e.before ?? {};
  const after = e.after ?? {};
  switch (e.action) {
    case 'approve':
    case 'reject':
    case 'reset':
      return `${e.action}: ${String(before.moderationState ?? '').toLowerCase()} → ${String(after.moderationState ?? '').toLowerCase()}`;
    case 'update':
      return before.ocrText !== after.ocrText ? `edit: “${before.ocrText}” → “${after.ocrText}”` : 'edit: box moved or relabelled';
    case 'create':
      return `add${state.page.categories.length ? ` ${after.label}` : ''}: “${after.ocrText ?? ''}”`;
    case 'delete':
      return `remove${state.page.categories.length ? ` ${before.label}` : ''}: “${before.ocrText ?? ''}”`;
    case 'revert':
      return `revert: ${(before.moderatorBoxes ?? []).length} edited box(es) out, ${(after.modelBoxes ?? []).length} model box(es) back`;
    default:
      return e.action;
  }
}

function renderEvents() {
  const events = [...state.page.events].reverse(); // newest first
  $('events').replaceChildren(
    ...events.map((e) =>
      h('li', { 'data-action': e.action }, [
        h('div', {}, [describeEvent(e)]),
        h('div', { class: 'when' }, [`${new Date(e.created_at).toLocaleString()} · key ${e.actor.slice(0, 8)}`]),
      ]),
    ),
  );
  if (events.length === 0) $('events').append(h('li', { class: 'muted' }, ['No changes yet.']));
}

// ---- editing -------------------------------------------------------------------------------

/** @param {string} predictionId */
function openEditor(predictionId) {
  const p = state.page;
  const b = p?.predictions.find((x) => x.id === predictionId);
  if (!b) return;
  state.editingId = predictionId;
  const form = $('editor');
  // Percentages of the page: the editor sits on the box at any displayed size.
  form.style.left = `${(b.xmin / p.width) * 100}%`;
  form.style.top = `${(b.ymin / p.height) * 100}%`;
  form.style.width = `${((b.xmax - b.xmin) / p.width) * 100}%`;
  form.hidden = false;
  const input = /** @type {HTMLInputElement} */ ($('editor-input'));
  input.value = b.ocr_text;
  input.focus();
  input.select();
  renderBoxes();
}

function closeEditor() {
  state.editingId = null;
  $('editor').hidden = true;
  if (state.page) renderBoxes();
}

async function saveEditor() {
  const id = state.editingId;
  const p = state.page;
  if (!id || !p) return;
  const text = /** @type {HTMLInputElement} */ ($('editor-input')).value;
  const before = p.predictions.find((x) => x.id === id);
  if (before && before.ocr_text === text) {
    closeEditor();
    return;
  }
  await api(`/v1/review/pages/${p.id}/predictions/${id}`, { method: 'PATCH', body: JSON.stringify({ ocr_text: text }) });
  closeEditor();
  await reloadPage();
  await loadQueue();
  toast('Saved');
}

// ---- moderation ----------------------------------------------------------------------------

/** @param {'approve' | 'reject' | 'reset' | 'revert'} action */
async function moderate(action) {
  if (!state.page || state.busy) return;
  state.busy = true;
  try {
    state.page = await (await api(`/v1/review/pages/${state.page.id}/${action}`, { method: 'POST' })).json();
    renderPage();
    await loadQueue();
    toast(action === 'revert' ? 'Edits reverted' : `Page ${state.page.moderation_state}`);
  } finally {
    state.busy = false;
  }
}

// ---- wiring --------------------------------------------------------------------------------

/** @param {KeyboardEvent} ev */
function onKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const target = /** @type {HTMLElement} */ (ev.target);
  if (target.closest('input:not([type=checkbox]), select, textarea')) {
    if (ev.key === 'Escape') closeEditor();
    return;
  }
  if ($('app').hidden) return;
  const actions = {
    a: () => moderate('approve'),
    r: () => moderate('reject'),
    j: () => move(1),
    k: () => move(-1),
    Escape: async () => {
      closeEditor();
      state.drawingId = null;
      state.selectedWords.clear();
      if (state.page) renderPage();
    },
  };
  const run = actions[/** @type {keyof typeof actions} */ (ev.key)];
  if (!run) return;
  ev.preventDefault();
  run().catch(report);
}

function main() {
  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const key = /** @type {HTMLInputElement} */ ($('api-key')).value.trim();
    if (!key) return;
    state.key = key;
    localStorage.setItem(KEY_STORAGE, key);
    signIn().catch(report);
  });
  $('sign-out').addEventListener('click', () => signOut());
  $('filters').addEventListener('change', () => {
    state.currentIndex = 0;
    loadQueue().catch(report);
  });
  $('show-text').addEventListener('change', () => state.page && renderBoxes());
  $('load-more').addEventListener('click', () => loadQueue({ more: true }).catch(report));
  $('approve').addEventListener('click', () => moderate('approve').catch(report));
  $('reject').addEventListener('click', () => moderate('reject').catch(report));
  $('reset').addEventListener('click', () => moderate('reset').catch(report));
  $('revert').addEventListener('click', () => moderate('revert').catch(report));
  $('add-field-button').addEventListener('click', () => editing.addFieldFromWords().catch(report));
  watchPointer(/** @type {SVGSVGElement} */ (/** @type {unknown} */ ($('boxes'))), () => state.page, {
    onClick: (target) => editing.onPageClick(target),
    onDragMove: (from, to, target) => editing.onPageDragMove(from, to, target),
    onDragEnd: (from, to, target, ev) => editing.onPageDragEnd(from, to, target, ev).catch(report),
  });
  $('editor').addEventListener('submit', (ev) => {
    ev.preventDefault();
    saveEditor().catch(report);
  });
  document.addEventListener('keydown', onKey);
  if (state.key) signIn().catch(report);
  else signOut();
}

main();
