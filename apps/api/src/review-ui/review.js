// @ts-check
// Folio review page: a vanilla ES module over the review API (/v1/review/...). No build step.
// Keys: a approve, r reject, j/k next/previous page; click a box (or its line in the list) to edit
// its text, Enter saves, Esc cancels.

const KEY_STORAGE = 'folio.review.apiKey';
const SVG_NS = 'http://www.w3.org/2000/svg';
/** Same thresholds as the server's overlay (libs/documents image.overlay.ts). */
const CONFIDENCE = { high: 0.9, low: 0.7 };
const QUEUE_PAGE = 50;

/** @param {number | null | undefined} score */
function confidenceClass(score) {
  if (score === null || score === undefined) return 'conf-none';
  if (score >= CONFIDENCE.high) return 'conf-high';
  if (score >= CONFIDENCE.low) return 'conf-mid';
  return 'conf-low';
}

/** @param {string} id @returns {HTMLElement} */
function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el;
}

/** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node | string)[]} [children] */
function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

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
  busy: false,
};

/** @param {string} path @param {RequestInit} [init] */
async function api(path, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${state.key ?? ''}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401) {
    signOut('The API key was refused; enter a valid one.');
    throw new ApiError(401, 'unauthorized');
  }
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = await res.json();
      message = body?.error?.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message);
  }
  return res;
}

/** @param {string} text @param {boolean} [bad] */
function toast(text, bad = false) {
  const el = $('toast');
  el.textContent = text;
  el.classList.toggle('bad', bad);
  el.classList.add('show');
  clearTimeout(Number(el.dataset.timer));
  el.dataset.timer = String(setTimeout(() => el.classList.remove('show'), 2500));
}

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
      const conf = p.min_confidence === null ? '—' : p.min_confidence.toFixed(2);
      const li = h('li', { 'data-page-id': p.id, class: confidenceClass(p.min_confidence), role: 'option', 'aria-selected': String(p.id === state.currentId) }, [
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
    ['Size', `${p.width} × ${p.height} px`],
    ['Day', String(p.day_since_epoch)],
    ['Page id', p.id],
  ];
  $('page-meta').replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, [k]), h('dd', {}, [v])]));
  renderBoxes();
  renderPredictionList();
  renderEvents();
}

function renderBoxes() {
  const p = state.page;
  const svg = $('boxes');
  const showText = /** @type {HTMLInputElement} */ ($('show-text')).checked;
  // The viewBox is the page's pixel grid; the SVG stretches over the displayed image, so boxes scale with it.
  svg.setAttribute('viewBox', `0 0 ${p.width} ${p.height}`);
  const rects = p.predictions.map((b) => {
    const r = document.createElementNS(SVG_NS, 'rect');
    r.setAttribute('x', String(b.xmin));
    r.setAttribute('y', String(b.ymin));
    r.setAttribute('width', String(b.xmax - b.xmin));
    r.setAttribute('height', String(b.ymax - b.ymin));
    r.setAttribute('vector-effect', 'non-scaling-stroke');
    r.setAttribute('class', `${confidenceClass(b.score)}${b.source === 'moderator' ? ' moderator' : ''}${b.id === state.editingId ? ' selected' : ''}`);
    r.dataset.predictionId = b.id;
    r.dataset.text = b.ocr_text;
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = `${b.ocr_text} (${b.score.toFixed(2)}, ${b.source})`;
    r.append(title);
    r.addEventListener('click', (ev) => {
      ev.stopPropagation();
      openEditor(b.id);
    });
    return r;
  });
  // What was read, written just above each box in page pixels (so it scales too), to compare with the image.
  const labels = showText
    ? p.predictions.map((b) => {
        const t = document.createElementNS(SVG_NS, 'text');
        const size = Math.max(8, Math.min(32, Math.round((b.ymax - b.ymin) * 0.45)));
        t.setAttribute('x', String(b.xmin));
        t.setAttribute('y', String(Math.max(size, b.ymin - 3)));
        t.setAttribute('font-size', String(size));
        t.setAttribute('class', `label ${confidenceClass(b.score)}`);
        t.textContent = `${b.ocr_text} · ${b.score.toFixed(2)}`;
        return t;
      })
    : [];
  svg.replaceChildren(...rects, ...labels);
}

function renderPredictionList() {
  $('predictions').replaceChildren(
    ...state.page.predictions.map((b) => {
      const li = h('li', { 'data-prediction-id': b.id }, [h('span', { class: `score ${confidenceClass(b.score)}` }, [b.score.toFixed(2)]), b.ocr_text || `(${b.label})`]);
      li.addEventListener('click', () => openEditor(b.id));
      return li;
    }),
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
      return `add: “${after.ocrText ?? ''}”`;
    case 'delete':
      return `remove: “${before.ocrText ?? ''}”`;
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
    Escape: async () => closeEditor(),
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
  $('editor').addEventListener('submit', (ev) => {
    ev.preventDefault();
    saveEditor().catch(report);
  });
  document.addEventListener('keydown', onKey);
  if (state.key) signIn().catch(report);
  else signOut();
}

main();
