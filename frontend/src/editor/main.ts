// The land officers' map editor (/editor): select parcels (click, shift-click), split by a drawn line, merge,
// move a shared boundary (Modify on both parcels, Snap to neighbouring vertices and edges), edit attributes, undo a
// dossier; every edit names its dossier and goes to /api/edits/*. Broken rules (422) are drawn on the map and
// listed; a conflict (409) shows the current state with a reload. The parcel's history, and the map as of a date.
// Behind the viewer's HTTP Basic sign-in (sessionStorage): without an officer's credentials only the sign-in shows.
import 'ol/ol.css';
import '../common/app.css';
import './messages';
import Map from 'ol/Map';
import View from 'ol/View';
import Feature from 'ol/Feature';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import Point from 'ol/geom/Point';
import LineString from 'ol/geom/LineString';
import Draw from 'ol/interaction/Draw';
import Modify from 'ol/interaction/Modify';
import Snap from 'ol/interaction/Snap';
import { ScaleLine, Zoom } from 'ol/control';
import { defaults as defaultInteractions } from 'ol/interaction/defaults';
import { fromLonLat, toLonLat } from 'ol/proj';
import { extend as extendExtent, createEmpty, buffer, isEmpty } from 'ol/extent';
import { Style, Stroke, Fill, Circle as CircleStyle, Text } from 'ol/style';
import type VectorTileSource from 'ol/source/VectorTile';
import type XYZ from 'ol/source/XYZ';
import type { Geometry } from 'ol/geom';
import { tileLayer, rasterStandIn, tileJson } from '../common/layers';
import { h, clear, loading, showError } from '../common/dom';
import { t, changeKind, vnDay, fmtDay, applyI18n, bindLangSwitch, onLangChange, fmtNumber, fmtDate, lang } from '../common/i18n';
import { getJson, credentials, clearCredentials, inLanguage } from '../common/api';
import { officerSignIn } from '../common/signin';
import { toVn2000 } from '../common/crs';

interface Parcel {
  type: 'Feature'; id: number; geometry: unknown;
  properties: { parcelId: number; versionId: number; sheetNo: number; parcelNo: number; communeCode: string; landUseCode: string;
    landUseName?: string; landUses?: string; otherLandUses?: { code: string }[]; legalArea?: number; geomArea?: number; address?: string; validTo?: string | null };
}
interface Opened { versionId: number; parcelId: number; sheetNo: number; parcelNo: number; landUseCode: string; legalArea?: number; geomArea?: number; tag?: string; parents: number[] }
interface Violation { rule: string; message: string; versionId?: number; location?: { type: 'Point'; coordinates: [number, number] } }
interface Problem { status?: number; detail?: string; title?: string; code?: string; violations?: Violation[];
  current?: { versionId: number; closedBy?: { changeId: number; kind: string; actor: string; happenedAt: string; reason?: string } | null; current: Opened[] }[] }
interface LandUse { code: string; name: string; nameEn: string; color: string }
interface History {
  parcelId: number;
  versions: { versionId: number; sheetNo: number; parcelNo: number; landUseCode: string; otherLandUses?: string[]; legalArea?: number; validFrom: string; validTo?: string;
    openedBy?: { kind: string; at: string; actor: string; reason?: string }; closedBy?: { kind: string; at: string; actor: string; reason?: string } }[];
  lineage: { parentVersion: number; childVersion: number; changeId: number }[];
}
type Tool = 'none' | 'split' | 'boundary' | 'attributes' | 'merge';

const kindName = changeKind;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
applyI18n(document);
bindLangSwitch($<HTMLButtonElement>('lang'));

// ------------------------------------------------------------------ sign-in: nothing of the editor before it
const checkSignIn = officerSignIn((name) => startEditor(name), 'ed.notOfficer');

// ------------------------------------------------------------------ the editor (built once, after sign-in)
let started = false;
let user = '';

function startEditor(name: string): void {
  user = name;
  $('signin').hidden = true;
  $('workspace').hidden = false;
  const logout = $('logout');
  logout.hidden = false;
  logout.textContent = t('login.logout', user);
  if (started) return;
  started = true;
  buildEditor();
}
onLangChange(() => { if (user) $('logout').textContent = t('login.logout', user); });

function buildEditor(): void {
  const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
  const base = tileLayer('districts', { visible: true });
  const parcels = tileLayer('parcels', { visible: true });
  const parcelsPng = rasterStandIn(parcels, 'parcels');
  const sheets = tileLayer('map_sheets', { visible: false });

  const selectionSource = new VectorSource<Feature<Geometry>>();
  const neighbourSource = new VectorSource<Feature<Geometry>>();
  const drawSource = new VectorSource<Feature<Geometry>>();
  const ruleSource = new VectorSource<Feature<Geometry>>();
  const selectionLayer = new VectorLayer({
    source: selectionSource, zIndex: 100,
    style: [new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 6 }) }),
      new Style({ stroke: new Stroke({ color: '#0057B8', width: 3 }), fill: new Fill({ color: 'rgba(0,87,184,0.12)' }) })],
  });
  const neighbourLayer = new VectorLayer({ source: neighbourSource, zIndex: 90, style: new Style({ stroke: new Stroke({ color: 'rgba(0,0,0,0.45)', width: 1, lineDash: [4, 3] }) }) });
  const drawLayer = new VectorLayer({ source: drawSource, zIndex: 110, style: new Style({ stroke: new Stroke({ color: '#d00000', width: 3, lineDash: [8, 4] }) }) });
  const ruleLayer = new VectorLayer({
    source: ruleSource, zIndex: 120,
    style: (f) => new Style({
      image: new CircleStyle({ radius: 11, fill: new Fill({ color: '#b00020' }), stroke: new Stroke({ color: '#fff', width: 2 }) }),
      text: new Text({ text: String(f.get('n')), fill: new Fill({ color: '#fff' }), font: 'bold 12px sans-serif' }),
    }),
  });

  const mapEl = $('map');
  const map = new Map({
    target: mapEl,
    layers: [base, parcelsPng, parcels, sheets, neighbourLayer, selectionLayer, drawLayer, ruleLayer],
    controls: [new Zoom({ zoomInTipLabel: t('map.zoomIn'), zoomOutTipLabel: t('map.zoomOut') }), new ScaleLine({ bar: true, steps: 4, text: true, minWidth: 120 })],
    view: new View({ center: fromLonLat([106.413, 10.533]), zoom: 17, maxZoom: 22, minZoom: 6 }),
    interactions: defaultInteractions({ onFocusOnly: false, doubleClickZoom: false }),
  });
  mapEl.setAttribute('tabindex', '0');
  let renders = 0;
  map.on('rendercomplete', () => { mapEl.dataset.rendered = String(++renders); });
  const params = new URLSearchParams(location.hash.slice(1));
  const c = (params.get('c') ?? '').split(',').map(Number);
  if (c.length === 2 && c.every(Number.isFinite)) {
    map.getView().setCenter(fromLonLat([c[0], c[1]]));
    if (Number.isFinite(Number(params.get('z'))) && params.get('z')) map.getView().setZoom(Number(params.get('z')));
  } else {
    tileJson('parcels').then((tj) => {
      if (tj?.center) map.getView().setCenter(fromLonLat([tj.center[0], tj.center[1]]));
    }).catch(() => undefined);
  }
  map.on('moveend', () => {
    const ll = toLonLat(map.getView().getCenter()!);
    history.replaceState(null, '', `#z=${map.getView().getZoom()!.toFixed(2)}&c=${ll[0].toFixed(6)},${ll[1].toFixed(6)}`);
  });
  const coords = $('coords');
  map.on('pointermove', (e) => {
    if (e.dragging) return;
    const ll = toLonLat(e.coordinate);
    const [x, y] = toVn2000([ll[0], ll[1]]);
    coords.textContent = `${ll[1].toFixed(6)}° N, ${ll[0].toFixed(6)}° E · VN-2000 X ${fmtNumber(y, 2)} m, Y ${fmtNumber(x, 2)} m`;
  });

  // tiles: loading and error line
  const mapStatus = $('map-status');
  let pending = 0;
  let failed = 0;
  const tileStatus = () => {
    mapStatus.className = failed ? 'map-status error' : 'map-status loading';
    mapStatus.hidden = !pending && !failed;
    mapStatus.textContent = failed ? t('map.tilesFailed', failed) : t('loading');
  };
  for (const l of [base, parcelsPng, parcels, sheets]) {
    const src = l.getSource() as unknown as { on(type: string, f: () => void): void };
    src.on('tileloadstart', () => { pending++; tileStatus(); });
    src.on('tileloadend', () => { pending = Math.max(0, pending - 1); tileStatus(); });
    src.on('tileloaderror', () => { pending = Math.max(0, pending - 1); failed++; tileStatus(); });
  }
  map.on('movestart', () => { failed = 0; });

  // ---------------------------------------------------------------- as of a date; tiles re-fetched after an edit
  let asOf: string | undefined;
  let tileGeneration = 0;
  const vectorSource = parcels.getSource() as VectorTileSource;
  const pngSource = parcelsPng.getSource() as XYZ;
  function refreshTiles(): void {
    const q = new URLSearchParams();
    if (asOf) q.set('asOf', asOf);
    if (tileGeneration) q.set('v', String(tileGeneration));
    const s = q.toString() ? '?' + q.toString() : '';
    vectorSource.setUrl(`/tiles/parcels/{z}/{x}/{y}.mvt${s}`);
    pngSource.setUrl(`/tiles/parcels/{z}/{x}/{y}.png${s}`);
    vectorSource.refresh();
    pngSource.refresh();
    mapEl.dataset.tileGeneration = String(tileGeneration);
  }
  const asOfInput = $<HTMLInputElement>('as-of');
  asOfInput.max = vnDay();   // today in Vietnam (the UTC day is yesterday before 07:00)
  function setAsOf(value: string | undefined): void {
    asOf = value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
    asOfInput.value = asOf ?? '';
    $('as-of-note').textContent = asOf ? t('ed.asOf.past', fmtDay(asOf)) : t('ed.asOf.current');
    document.body.classList.toggle('past', !!asOf);
    setTool('none');
    refreshTiles();
    // the selection was of the other date: choose again on this map (a parcel may not exist on both)
    selectionEpoch++;
    selection = [];
    renderSelection();
    renderTools();
  }
  asOfInput.addEventListener('change', () => setAsOf(asOfInput.value));
  $('as-of-now').addEventListener('click', () => setAsOf(undefined));
  onLangChange(() => { $('as-of-note').textContent = asOf ? t('ed.asOf.past', fmtDay(asOf)) : t('ed.asOf.current'); });
  $('as-of-note').textContent = t('ed.asOf.current');

  // ---------------------------------------------------------------- selection
  let selection: Parcel[] = [];
  /** Bumped by every new choice of the selection: a slower, older fetch never overwrites a newer choice. */
  let selectionEpoch = 0;
  const selEl = $('selection');
  function current(p: Parcel): boolean {
    return !p.properties.validTo;
  }
  function renderSelection(): void {
    selectionSource.clear();
    clear(selEl);
    selEl.dataset.versions = selection.map((p) => p.properties.versionId).join(',');
    if (!selection.length) {
      selEl.append(h('p', { class: 'note', text: t('ed.selection.none') }));
      renderTools();
      renderHistory();
      return;
    }
    const ul = h('ul', { class: 'selection-list' });
    for (const p of selection) {
      const f = geojson.readFeature(p) as Feature<Geometry>;
      f.setId(p.properties.versionId);
      f.set('versionId', p.properties.versionId);
      selectionSource.addFeature(f);
      const pr = p.properties;
      ul.append(h('li', { 'data-version-id': pr.versionId, 'data-parcel-id': pr.parcelId },
        h('span', { text: t('ed.selection.item', pr.parcelNo, pr.sheetNo, pr.landUses ?? pr.landUseCode, fmtNumber(Number(pr.geomArea ?? pr.legalArea ?? 0), 1), pr.versionId) }),
        current(p) ? null : h('span', { class: 'status error', text: ' ' + t('ed.selection.closed') }),
        h('button', { type: 'button', class: 'link', 'aria-label': t('ed.selection.remove', pr.parcelNo), text: '×', onclick: () => {
          selection = selection.filter((x) => x !== p);
          renderSelection();
        } })));
    }
    selEl.append(ul, h('button', { type: 'button', class: 'link', id: 'selection-clear', text: t('ed.selection.clear'), onclick: () => { selection = []; renderSelection(); } }));
    renderTools();
    renderHistory();
  }
  onLangChange(renderSelection);

  async function pick(lonLat: number[], add: boolean): Promise<void> {
    const q = `lon=${lonLat[0].toFixed(7)}&lat=${lonLat[1].toFixed(7)}&tolerance=1${asOf ? '&asOf=' + asOf : ''}`;
    selEl.setAttribute('aria-busy', 'true');
    try {
      const epoch = ++selectionEpoch;
      const f = await getJson<Parcel>(`/api/parcels/at?${q}`, { auth: true, expected: [404, 422] });
      if (epoch !== selectionEpoch) return;
      if (!f) {
        if (!add) { selection = []; renderSelection(); }
        selEl.append(h('p', { class: 'note', role: 'status', text: t('ed.noParcel') }));
        return;
      }
      const already = selection.findIndex((p) => p.properties.versionId === f.properties.versionId);
      if (add) {
        if (already >= 0) selection.splice(already, 1);
        else selection.push(f);
      } else {
        selection = [f];
      }
      if (tool === 'boundary' || tool === 'merge' || tool === 'attributes') setTool(tool);
      renderSelection();
    } catch (e) {
      showError(selEl, e);
    } finally {
      selEl.removeAttribute('aria-busy');
    }
  }
  // the map's singleclick comes 250 ms after the click: the last click of a drawing must not select too
  let quietUntil = 0;
  map.on('singleclick', (e) => {
    if (tool === 'split' || tool === 'boundary' || Date.now() < quietUntil) return;
    pick(toLonLat(e.coordinate), (e.originalEvent as MouseEvent).shiftKey);
  });
  mapEl.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target === mapEl && tool !== 'split') pick(toLonLat(map.getView().getCenter()!), e.shiftKey);
  });

  // ---------------------------------------------------------------- tools
  let tool: Tool = 'none';
  const toolBody = $('tool-body');
  const buttons: Record<string, HTMLButtonElement> = {
    split: $('tool-split'), merge: $('tool-merge'), boundary: $('tool-boundary'), attributes: $('tool-attributes'), undo: $('tool-undo'),
  };
  let draw: Draw | null = null;
  let modify: Modify | null = null;
  const snaps: Snap[] = [];
  let originalGeometries: globalThis.Map<number, Geometry> = new globalThis.Map();
  let landUses: LandUse[] = [];
  getJson<LandUse[]>('/api/web/land-use-types').then((l) => { landUses = l ?? []; if (tool === 'attributes' || tool === 'merge') setTool(tool); }).catch(() => undefined);

  function renderTools(): void {
    const n = selection.filter(current).length;
    const past = !!asOf;
    buttons.split.disabled = past || n !== 1;
    buttons.attributes.disabled = past || n !== 1;
    buttons.merge.disabled = past || n < 2;
    buttons.boundary.disabled = past || n < 2;
    buttons.undo.disabled = past;
    for (const k of ['split', 'boundary', 'attributes', 'merge'] as const) buttons[k].setAttribute('aria-pressed', String(tool === k));
    if ((tool === 'split' || tool === 'attributes') && n !== 1) setTool('none');
    if ((tool === 'boundary' || tool === 'merge') && n < 2) setTool('none');
  }

  function removeInteractions(): void {
    for (const i of [draw, modify, ...snaps]) if (i) map.removeInteraction(i);
    draw = null;
    modify = null;
    snaps.length = 0;
    drawSource.clear();
    neighbourSource.clear();
  }

  function setTool(next: Tool): void {
    if (tool === 'boundary') restoreGeometries();
    removeInteractions();
    tool = next;
    clear(toolBody);
    for (const k of ['split', 'boundary', 'attributes', 'merge'] as const) buttons[k].setAttribute('aria-pressed', String(tool === k));
    mapEl.dataset.tool = tool;
    if (next === 'split') splitTool();
    else if (next === 'merge') mergeTool();
    else if (next === 'boundary') boundaryTool();
    else if (next === 'attributes') attributesTool();
  }
  buttons.split.addEventListener('click', () => setTool(tool === 'split' ? 'none' : 'split'));
  buttons.merge.addEventListener('click', () => setTool(tool === 'merge' ? 'none' : 'merge'));
  buttons.boundary.addEventListener('click', () => setTool(tool === 'boundary' ? 'none' : 'boundary'));
  buttons.attributes.addEventListener('click', () => setTool(tool === 'attributes' ? 'none' : 'attributes'));
  // undoing reverts the dossier's last edit: asked first (the field holds the dossier of the next edit)
  buttons.undo.addEventListener('click', () => {
    const dossier = $<HTMLInputElement>('dossier').value.trim();
    if (dossier && !window.confirm(t('ed.undo.confirm', dossier))) return;
    submit('undo', {});
  });
  onLangChange(() => setTool(tool));
  document.addEventListener('keydown', (e) => {
    if (tool !== 'split' || !draw) return;
    if (e.key === 'Escape') { draw.abortDrawing(); }
    else if (e.key === 'Backspace' && e.target === mapEl) { draw.removeLastPoint(); e.preventDefault(); }
  });

  function splitTool(): void {
    const coordsInput = h('textarea', { id: 'split-line', rows: 2, spellcheck: 'false' });
    const save = h('button', { type: 'button', id: 'split-save', text: t('ed.split.save') });
    toolBody.append(h('p', { class: 'note', text: t('ed.split.help') }),
      h('label', { for: 'split-line', text: t('ed.split.coords') }), coordsInput, save);
    draw = new Draw({ source: drawSource, type: 'LineString', style: drawLayer.getStyle() as Style });
    draw.on('drawstart', () => drawSource.clear());
    draw.on('drawend', (e) => {
      quietUntil = Date.now() + 600;
      const line = (e.feature.getGeometry() as LineString).getCoordinates().map((c) => toLonLat(c));
      coordsInput.value = line.map((c) => `${c[0].toFixed(8)} ${c[1].toFixed(8)}`).join('; ');
      save.focus();
    });
    map.addInteraction(draw);
    const snap = new Snap({ source: selectionSource, pixelTolerance: 8 });
    map.addInteraction(snap);
    snaps.push(snap);
    coordsInput.addEventListener('change', () => {
      const line = parseLine(coordsInput.value);
      drawSource.clear();
      if (line) drawSource.addFeature(new Feature(new LineString(line.map((c) => fromLonLat(c)))));
    });
    save.addEventListener('click', () => {
      const line = parseLine(coordsInput.value);
      if (!line) {
        showResultError(t('ed.split.noLine'));
        return;
      }
      submit('split', { versionId: selection[0].properties.versionId, line: { type: 'LineString', coordinates: line } });
    });
  }

  function parseLine(text: string): [number, number][] | null {
    const pts = text.split(/[;\n]/).map((s) => s.trim()).filter(Boolean).map((s) => s.split(/[\s,]+/).map(Number));
    if (pts.length < 2 || pts.some((p) => p.length !== 2 || !p.every(Number.isFinite))) return null;
    return pts as [number, number][];
  }

  function landUseSelect(id: string, keep: boolean, value?: string): HTMLSelectElement {
    const sel = h('select', { id });
    if (keep) sel.append(h('option', { value: '', text: t('ed.attr.keep') }));
    for (const u of landUses) sel.append(h('option', { value: u.code, selected: u.code === value, text: `${u.code} – ${lang() === 'en' ? u.nameEn : u.name}` }));
    return sel;
  }

  function mergeTool(): void {
    const codes = [...new Set(selection.map((p) => p.properties.landUseCode))];
    const sel = landUseSelect('merge-land-use', codes.length === 1, codes.length === 1 ? undefined : codes[0]);
    const save = h('button', { type: 'button', id: 'merge-save', text: t('ed.merge.save') });
    toolBody.append(h('p', { class: 'note', text: t('ed.merge.help') }), h('label', { for: 'merge-land-use', text: t('ed.merge.landUse') }), sel, save);
    save.addEventListener('click', () => submit('merge', {
      versionIds: selection.map((p) => p.properties.versionId),
      landUseCode: sel.value || undefined,
    }));
  }

  function boundaryTool(): void {
    originalGeometries = new globalThis.Map(selectionSource.getFeatures().map((f) => [Number(f.getId()), f.getGeometry()!.clone()]));
    const save = h('button', { type: 'button', id: 'boundary-save', text: t('ed.boundary.save') });
    const reset = h('button', { type: 'button', class: 'secondary', text: t('ed.boundary.reset'), onclick: () => setTool('boundary') });
    toolBody.append(h('p', { class: 'note', text: t('ed.boundary.help') }), h('div', { class: 'inline' }, save, reset));
    // one Modify over both parcels: a shared vertex moves in both (no gap, no overlap); snapping to the
    // neighbours around them (WFS, same geometries as the register) and to the parcels themselves
    modify = new Modify({ source: selectionSource, pixelTolerance: 8 });
    map.addInteraction(modify);
    loadNeighbours();
    for (const source of [neighbourSource, selectionSource]) {
      const s = new Snap({ source, pixelTolerance: 10 });
      map.addInteraction(s);
      snaps.push(s);
    }
    save.addEventListener('click', () => submit('boundary', {
      parcels: selectionSource.getFeatures().map((f) => ({ versionId: Number(f.getId()), geometry: geojson.writeGeometryObject(f.getGeometry()!, { decimals: 9 }) })),
    }));
  }

  function restoreGeometries(): void {
    for (const f of selectionSource.getFeatures()) {
      const g = originalGeometries.get(Number(f.getId()));
      if (g) f.setGeometry(g.clone());
    }
  }

  async function loadNeighbours(): Promise<void> {
    let ext = createEmpty();
    for (const f of selectionSource.getFeatures()) ext = extendExtent(ext, f.getGeometry()!.getExtent());
    if (isEmpty(ext)) return;
    ext = buffer(ext, 30);
    const url = `/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=landgis:parcels&OUTPUTFORMAT=application/json&SRSNAME=EPSG:3857&COUNT=300`
      + `&BBOX=${ext.map((v) => v.toFixed(2)).join(',')},EPSG:3857`;
    try {
      const fc = await getJson<unknown>(url, { auth: true });
      if (tool !== 'boundary' || !fc) return;
      const mine = new Set(selection.map((p) => p.properties.versionId));
      const features = new GeoJSON({ dataProjection: 'EPSG:3857', featureProjection: 'EPSG:3857' }).readFeatures(fc) as Feature<Geometry>[];
      neighbourSource.addFeatures(features.filter((f) => !mine.has(Number(String(f.getId()).replace(/^parcels\./, '')))));
      mapEl.dataset.neighbours = String(neighbourSource.getFeatures().length);
    } catch {
      // snapping to neighbours is a help, not a must: the server snaps within its tolerance anyway
    }
  }

  function attributesTool(): void {
    const p = selection[0].properties;
    const sel = landUseSelect('attr-land-use', false, p.landUseCode);
    const parcelNo = h('input', { id: 'attr-parcel-no', type: 'number', min: 1, step: 1, value: p.parcelNo });
    const address = h('input', { id: 'attr-address', maxlength: 300, value: p.address ?? '' });
    const area = h('input', { id: 'attr-legal-area', type: 'number', min: 0, step: 0.1, value: p.legalArea ?? '' });
    const reason = h('input', { id: 'attr-area-reason', maxlength: 300 });
    // a parcel of several purposes (ONT+CLN): the others, as codes
    const othersBefore = (p.otherLandUses ?? []).map((u) => u.code).join(', ');
    const others = h('input', { id: 'attr-other-land-uses', maxlength: 60, value: othersBefore, placeholder: 'CLN, HNK' });
    const form = h('form', { id: 'attr-form', class: 'attr-form' },
      h('label', { for: 'attr-land-use', text: t('ed.attr.landUse') }), sel,
      h('label', { for: 'attr-other-land-uses', text: t('ed.attr.otherLandUses') }), others,
      h('label', { for: 'attr-parcel-no', text: t('ed.attr.parcelNo') }), parcelNo,
      h('label', { for: 'attr-address', text: t('ed.attr.address') }), address,
      h('label', { for: 'attr-legal-area', text: t('ed.attr.legalArea') }), area,
      h('label', { for: 'attr-area-reason', text: t('ed.attr.areaReason') }), reason,
      h('button', { type: 'submit', id: 'attr-save', text: t('ed.attr.save') }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body: Record<string, unknown> = { versionId: p.versionId };
      if (sel.value && sel.value !== p.landUseCode) body.landUseCode = sel.value;
      if (others.value.trim() !== othersBefore) {
        body.otherLandUses = others.value.split(/[\s,;+]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
      }
      if (parcelNo.value && Number(parcelNo.value) !== p.parcelNo) body.parcelNo = Number(parcelNo.value);
      if (address.value.trim() !== (p.address ?? '')) body.address = address.value.trim();
      if (area.value && Number(area.value) !== Number(p.legalArea)) body.legalArea = Number(area.value);
      if (reason.value.trim()) body.areaReason = reason.value.trim();
      if (Object.keys(body).length === 1) {
        showResultError(t('ed.attr.nothing'));
        return;
      }
      submit('attributes', body);
    });
    toolBody.append(form);
  }

  // ---------------------------------------------------------------- saving, and the three kinds of answer
  const resultEl = $('result');
  function showResultError(message: string): void {
    clear(resultEl);
    resultEl.append(h('p', { class: 'status error', role: 'alert', text: message }));
  }

  async function submit(kind: string, body: Record<string, unknown>): Promise<void> {
    const dossier = $<HTMLInputElement>('dossier');
    if (!dossier.value.trim()) {
      showResultError(t('ed.dossier.required'));
      dossier.setAttribute('aria-invalid', 'true');
      dossier.focus();
      return;
    }
    dossier.removeAttribute('aria-invalid');
    const meta = { dossier: dossier.value.trim(), decision: $<HTMLInputElement>('decision').value.trim() || undefined,
      note: $<HTMLInputElement>('note').value.trim() || undefined };
    const c = credentials();
    if (!c) return checkSignIn();
    ruleSource.clear();
    loading(resultEl);
    resultEl.firstElementChild!.textContent = t('ed.saving');
    resultEl.setAttribute('aria-busy', 'true');
    for (const b of Object.values(buttons)) b.disabled = true;
    let res: Response;
    try {
      res = await fetch(`/api/edits/${kind}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json', Authorization: c.header, 'X-Requested-With': 'XMLHttpRequest' },
        body: JSON.stringify({ ...meta, ...body }),
      });
    } catch {
      resultEl.removeAttribute('aria-busy');
      renderTools();
      return showResultError(t('error', t('error.network')));
    }
    const answer = await res.json().catch(() => null);
    resultEl.removeAttribute('aria-busy');
    resultEl.dataset.status = String(res.status);
    renderTools();
    if (res.status === 201) return saved(answer);
    if (res.status === 401) { clearCredentials(); return checkSignIn(t('login.failed')); }
    const problem = (answer ?? {}) as Problem;
    if (res.status === 422 && problem.violations?.length) return showViolations(problem);
    if (res.status === 409) return showConflict(problem);
    showResultError(t('error', inLanguage(problem.detail || problem.title || `${res.status} ${res.statusText}`)));
  }

  async function saved(r: { changeId: number; kind: string; dossier: string; closed: number[]; opened: Opened[] }): Promise<void> {
    const own = r.opened.filter((o) => !String(o.tag ?? '').startsWith('noded-'));
    clear(resultEl);
    resultEl.dataset.changeId = String(r.changeId);
    const ul = h('ul', { class: 'opened' });
    for (const o of own) {
      ul.append(h('li', { 'data-parcel-id': o.parcelId, 'data-version-id': o.versionId, text: t('ed.opened', o.parcelNo, o.sheetNo, fmtNumber(Number(o.geomArea ?? 0), 1)) }));
    }
    resultEl.append(h('p', { class: 'status ok', role: 'status', text: t('ed.saved', r.changeId, kindName(r.kind), r.dossier) }), ul);
    // the neighbours the change re-versioned too (a vertex where the cut met them): the officer is told, as the undo
    // lists them
    const noded = r.opened.filter((o) => String(o.tag ?? '').startsWith('noded-'));
    if (noded.length) {
      resultEl.append(h('p', { class: 'note', id: 'noded', 'data-count': noded.length,
        text: t('ed.noded', noded.map((o) => t('ed.opened', o.parcelNo, o.sheetNo, fmtNumber(Number(o.geomArea ?? 0), 1))).join('; ')) }));
    }
    // everyone's tiles: the server dropped its cached tiles under the change; this map asks again, past its own cache
    tileGeneration++;
    refreshTiles();
    if (tool === 'boundary') originalGeometries.clear();
    setTool('none');
    const epoch = ++selectionEpoch;
    const found = await Promise.all(own.map((o) => getJson<Parcel>(`/api/parcels/${o.parcelId}`, { auth: true, expected: [404] }).catch(() => null)));
    if (epoch !== selectionEpoch) return;
    selection = found.filter((f): f is Parcel => !!f);
    renderSelection();
  }

  function showViolations(p: Problem): void {
    clear(resultEl);
    const list = p.violations ?? [];
    resultEl.append(h('p', { class: 'status error', role: 'alert', text: t('ed.rules', list.length) }));
    const ol = h('ol', { class: 'rules', id: 'rules' });
    list.forEach((v, i) => {
      const n = i + 1;
      let where: number[] | null = null;
      if (v.location?.coordinates) {
        where = fromLonLat(v.location.coordinates);
        const f = new Feature(new Point(where));
        f.set('n', n);
        ruleSource.addFeature(f);
      }
      const zoom = where
        ? h('button', { type: 'button', class: 'link rule-zoom', 'aria-label': `${t('ed.rule.zoom')}: ${n}`, text: t('ed.rule.zoom'), onclick: () => {
          map.getView().animate({ center: where!, zoom: Math.max(map.getView().getZoom() ?? 19, 20), duration: 300 });
          mapEl.focus();
        } })
        : null;
      ol.append(h('li', { 'data-rule': v.rule }, h('strong', { text: v.rule }), ' ', inLanguage(v.message), ' ', zoom));
    });
    resultEl.append(ol);
  }

  function showConflict(p: Problem): void {
    clear(resultEl);
    resultEl.append(h('p', { class: 'status error', role: 'alert', text: t('ed.conflict') + (p.detail ? ' ' + inLanguage(p.detail) : '') }));
    const ul = h('ul', { class: 'conflict', id: 'conflict' });
    const now: Opened[] = [];
    for (const s of p.current ?? []) {
      const cb = s.closedBy;
      const li = h('li', { text: cb ? t('ed.conflict.closedBy', s.versionId, cb.actor, kindName(cb.kind), fmtDate(cb.happenedAt), cb.reason ? ` – ${cb.reason}` : '') : String(s.versionId) });
      if (s.current?.length) {
        li.append(h('div', { class: 'note', text: t('ed.conflict.current') + s.current.map((o) => t('ed.opened', o.parcelNo, o.sheetNo, fmtNumber(Number(o.geomArea ?? 0), 1))).join('; ') }));
        now.push(...s.current);
      }
      ul.append(li);
    }
    const reload = h('button', { type: 'button', id: 'conflict-reload', text: t('ed.conflict.reload') });
    reload.addEventListener('click', async () => {
      tileGeneration++;
      refreshTiles();
      setTool('none');
      const ids = new Set([...now.map((o) => o.parcelId), ...selection.map((s) => s.properties.parcelId)]);
      const epoch = ++selectionEpoch;
      const found = await Promise.all([...ids].map((id) => getJson<Parcel>(`/api/parcels/${id}`, { auth: true, expected: [404] }).catch(() => null)));
      if (epoch !== selectionEpoch) return;
      selection = found.filter((f): f is Parcel => !!f && current(f));
      renderSelection();
      clear(resultEl);
    });
    resultEl.append(ul, reload);
  }

  // ---------------------------------------------------------------- history timeline of the first selected parcel
  const histEl = $('history-body');
  let historyFor = 0;
  async function renderHistory(): Promise<void> {
    const p = selection[0];
    if (!p) {
      historyFor = 0;
      clear(histEl);
      histEl.append(h('p', { class: 'note', text: t('ed.history.none') }));
      return;
    }
    const id = p.properties.parcelId;
    historyFor = id;
    loading(histEl);
    histEl.setAttribute('aria-busy', 'true');
    try {
      const hst = await getJson<History>(`/api/parcels/${id}/history`, { auth: true });
      if (historyFor !== id || !hst) return;
      clear(histEl);
      const ol = h('ol', { class: 'timeline', id: 'timeline' });
      for (const v of hst.versions) {
        const parents = hst.lineage.filter((l) => l.childVersion === v.versionId).map((l) => l.parentVersion);
        const children = hst.lineage.filter((l) => l.parentVersion === v.versionId).map((l) => l.childVersion);
        const li = h('li', { 'data-version-id': v.versionId, class: v.validTo ? 'closed' : 'current' },
          h('div', { text: t('ed.history.version', v.versionId, v.parcelNo, v.sheetNo, [v.landUseCode, ...(v.otherLandUses ?? [])].join('+'), v.legalArea === undefined || v.legalArea === null ? '–' : fmtNumber(Number(v.legalArea), 1)) }));
        if (v.openedBy) li.append(h('div', { class: 'note', 'data-kind': v.openedBy.kind, text: t('ed.history.opened', kindName(v.openedBy.kind), fmtDate(v.openedBy.at), v.openedBy.actor, v.openedBy.reason ? ` (${v.openedBy.reason})` : '') }));
        if (v.closedBy) li.append(h('div', { class: 'note', 'data-kind': v.closedBy.kind, text: t('ed.history.closed', kindName(v.closedBy.kind), fmtDate(v.closedBy.at), v.closedBy.actor, v.closedBy.reason ? ` (${v.closedBy.reason})` : '') }));
        if (parents.length) li.append(h('div', { class: 'note', text: t('ed.history.parents', parents.join(', ')) }));
        if (children.length) li.append(h('div', { class: 'note', text: t('ed.history.children', children.join(', ')) }));
        const day = v.validFrom ? vnDay(v.validFrom) : '';   // the day in Vietnam the version opened
        if (day) li.append(h('button', { type: 'button', class: 'link', text: t('ed.history.asOf'), onclick: () => setAsOf(day) }));
        ol.append(li);
      }
      histEl.append(ol);
    } catch (e) {
      if (historyFor === id) showError(histEl, e);
    } finally {
      histEl.removeAttribute('aria-busy');
    }
  }

  renderSelection();
  refreshTiles();
  // for browser tests and the console
  (window as unknown as { landgisMap: Map }).landgisMap = map;
}

// an editor link keeps the sign-in of this tab (sessionStorage); without it, the sign-in form only
checkSignIn();
