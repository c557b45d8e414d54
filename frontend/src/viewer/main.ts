// The map (/): our layers as vector tiles in the colours of their SLD, a layer switcher with legends and
// opacity, scale bar, VN-2000 and WGS 84 coordinates, the view in the URL; parcel search and click, the side
// panel; the planning view for investors (a plan, its overlay, a swipe against current land use).
import 'ol/ol.css';
import '../common/app.css';
import Map from 'ol/Map';
import View from 'ol/View';
import TileLayer from 'ol/layer/Tile';
import XYZ from 'ol/source/XYZ';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { ScaleLine, Zoom, Attribution } from 'ol/control';
import { defaults as defaultInteractions } from 'ol/interaction/defaults';
import { fromLonLat, toLonLat, transformExtent } from 'ol/proj';
import { Style, Stroke } from 'ol/style';
import { getRenderPixel } from 'ol/render';
import type VectorTileLayer from 'ol/layer/VectorTile';
import type RenderEvent from 'ol/render/Event';
import type { FeatureLike } from 'ol/Feature';
import { toVn2000 } from '../common/crs';
import { tileLayer, tileJson, legendUrl, rasterStandIn } from '../common/layers';
import { h, clear, loading, showError } from '../common/dom';
import { t, applyI18n, bindLangSwitch, onLangChange, fmtNumber } from '../common/i18n';
import { getJson, inLanguage, request } from '../common/api';
import { readHash, writeHash, type ViewState } from './state';
import { renderParcel, panelLoading, panelError, closePanel, openPanel, renderZone, renderReport, renderAreaPlanning, type ParcelFeature, type PlanningAnswer } from './panel';
import Draw from 'ol/interaction/Draw';
import type { Geometry } from 'ol/geom';

const OVERLAYS = ['parcels', 'planning_zones', 'map_sheets', 'communes', 'communes_2025', 'field_reports'];
const DEFAULT_ON = ['parcels', 'communes_2025', 'field_reports'];

const state: ViewState = readHash();
applyI18n(document);
bindLangSwitch(document.getElementById('lang') as HTMLButtonElement);

// ------------------------------------------------------------------ layers
const base = tileLayer('districts', { visible: true });
const layers: Record<string, VectorTileLayer> = {};
for (const name of OVERLAYS) {
  layers[name] = tileLayer(name, {
    visible: (state.layers ?? DEFAULT_ON).includes(name) || (name === 'planning_zones' && state.mode === 'planning'),
    className: name === 'planning_zones' ? 'ol-layer plan-layer' : undefined,
    where: name === 'planning_zones' ? (f: FeatureLike) => !selectedPlan || String(f.get('plan_id')) === selectedPlan : undefined,
  });
  layers[name].setOpacity(state.opacity[name] ?? 1);
}
let selectedPlan: string | undefined = state.plan;
const parcelsPng = rasterStandIn(layers.parcels, 'parcels');

const highlight = new VectorLayer({
  source: new VectorSource(),
  style: [new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 6 }) }), new Style({ stroke: new Stroke({ color: '#0057B8', width: 3 }) })],
  zIndex: 100,
});

const mapEl = document.getElementById('map')!;
const map = new Map({
  target: mapEl,
  layers: [base, parcelsPng, ...OVERLAYS.filter((n) => n !== 'field_reports').map((n) => layers[n]), layers.field_reports, highlight],
  controls: [new Zoom({ zoomInTipLabel: t('map.zoomIn'), zoomOutTipLabel: t('map.zoomOut') }), new ScaleLine({ bar: true, steps: 4, text: true, minWidth: 120 }), new Attribution({ collapsible: true })],
  view: new View({ center: fromLonLat(state.c ?? [106.413, 10.533]), zoom: state.z ?? 14, maxZoom: 22, minZoom: 6 }),
  // the map element is focusable (keyboard panning and zooming), yet mouse and touch work without focusing it first
  interactions: defaultInteractions({ onFocusOnly: false }),
});
mapEl.setAttribute('tabindex', '0');
let renders = 0;
map.on('rendercomplete', () => {
  if (!renders) mapEl.dataset.firstRenderMs = String(Math.round(performance.now()));
  mapEl.dataset.rendered = String(++renders);
});

// tiles: a loading line while any layer loads, an error line when tiles fail (offline, server error)
const mapStatus = document.getElementById('map-status')!;
let pending = 0;
let failed = 0;
function tileStatus(): void {
  mapStatus.className = failed ? 'map-status error' : 'map-status loading';
  mapStatus.hidden = !pending && !failed;
  mapStatus.textContent = failed ? t('map.tilesFailed', failed) : t('loading');
}
for (const l of [base, parcelsPng, ...Object.values(layers)]) {
  const src = l.getSource() as unknown as { on(type: string, f: () => void): void };
  src.on('tileloadstart', () => { pending++; tileStatus(); });
  src.on('tileloadend', () => { pending = Math.max(0, pending - 1); tileStatus(); });
  src.on('tileloaderror', () => { pending = Math.max(0, pending - 1); failed++; tileStatus(); });
}
map.on('movestart', () => { failed = 0; });
onLangChange(tileStatus);

// the offline extent of our data when the URL has no view
if (!state.c && !state.parcel) {
  // unless the user moved the map meanwhile (the hash always has a centre by then: the first moveend writes it)
  const start = [...(map.getView().getCenter() ?? []), map.getView().getZoom()];
  const unmoved = () => [...(map.getView().getCenter() ?? []), map.getView().getZoom()].every((v, i) => v === start[i]);
  tileJson('parcels').then((tj) => {
    if (tj?.bounds && unmoved()) map.getView().fit(transformExtent(tj.bounds, 'EPSG:4326', 'EPSG:3857'), { padding: [20, 20, 20, 20] });
  }).catch(() => undefined);
}
// the layer's own first zoom with content
for (const name of OVERLAYS) {
  tileJson(name).then((tj) => {
    if (!tj) return;
    const min = Math.max(0, tj.minzoom - 0.5);
    if (name === 'parcels') parcelsPng.setMinZoom(min);
    else layers[name].setMinZoom(min);
  }).catch(() => undefined);
}

// optional online base map (configuration; off by default: the machine may have no internet)
let online: TileLayer | undefined;
getJson<{ baseMapUrl: string | null; baseMapAttribution: string }>('/api/web/config').then((c) => {
  if (!c?.baseMapUrl) return;
  online = new TileLayer({ source: new XYZ({ url: c.baseMapUrl, attributions: c.baseMapAttribution, crossOrigin: 'anonymous' }), visible: state.base === 'online' });
  map.getLayers().insertAt(0, online);
  renderSwitcher();
}).catch(() => undefined);

// ------------------------------------------------------------------ URL
function saveView(push = false): void {
  const v = map.getView();
  const c = toLonLat(v.getCenter()!);
  state.z = v.getZoom();
  state.c = [c[0], c[1]];
  state.layers = OVERLAYS.filter((n) => layers[n].getVisible());
  state.opacity = Object.fromEntries(OVERLAYS.map((n) => [n, layers[n].getOpacity()]));
  state.plan = selectedPlan;
  state.base = online?.getVisible() ? 'online' : undefined;
  writeHash(state, push);
  followed = location.hash;
}
map.on('moveend', () => saveView());

// ------------------------------------------------------------------ layer switcher
const switcher = document.getElementById('layers-body')!;
// on a phone the switcher starts folded: the map first
if (window.matchMedia('(max-width: 700px)').matches) (document.querySelector('details.layers') as HTMLDetailsElement).open = false;
function renderSwitcher(): void {
  clear(switcher);
  if (online) {
    const fs = h('fieldset', {}, h('legend', { text: t('layers.base') }));
    for (const [value, key] of [['offline', 'layers.base.offline'], ['online', 'layers.base.online']]) {
      const id = `base-${value}`;
      fs.append(h('div', { class: 'check' },
        h('input', { type: 'radio', name: 'base', id, value, checked: (value === 'online') === online.getVisible(), onchange: () => { online!.setVisible(value === 'online'); saveView(); } }),
        h('label', { for: id, text: t(key) })));
    }
    switcher.append(fs);
  }
  const ul = h('ul', { class: 'layer-list' });
  for (const name of [...OVERLAYS].reverse()) {
    const layer = layers[name];
    const id = `layer-${name}`;
    const legend = h('div', { class: 'legend', id: `legend-${name}`, hidden: true });
    const opacity = h('input', { type: 'range', min: 0, max: 100, step: 5, value: Math.round(layer.getOpacity() * 100), id: `opacity-${name}`,
      'aria-label': t('layers.opacity', t(`layer.${name}`)) });
    opacity.addEventListener('input', () => { layer.setOpacity(Number(opacity.value) / 100); saveView(); });
    const legendBtn = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': `legend-${name}`, text: t('layers.legend'),
      'aria-label': t('layers.legend') + ': ' + t(`layer.${name}`) });
    legendBtn.addEventListener('click', () => {
      const show = legend.hidden;
      legend.hidden = !show;
      legendBtn.setAttribute('aria-expanded', String(show));
      if (show && !legend.firstChild) {
        loading(legend);
        const img = h('img', { src: legendUrl(name), alt: t('layers.legend') + ': ' + t(`layer.${name}`) });
        img.addEventListener('load', () => { clear(legend); legend.append(img); });
        img.addEventListener('error', () => showError(legend, t('layers.legend.error')));
      }
    });
    ul.append(h('li', {},
      h('div', { class: 'check' },
        h('input', { type: 'checkbox', id, checked: layer.getVisible(), onchange: (e: Event) => { layer.setVisible((e.target as HTMLInputElement).checked); saveView(); } }),
        h('label', { for: id, text: t(`layer.${name}`) })),
      h('div', { class: 'layer-tools' }, opacity, legendBtn),
      legend));
  }
  switcher.append(ul);
}
renderSwitcher();
onLangChange(renderSwitcher);

// ------------------------------------------------------------------ coordinates
const coords = document.getElementById('coords')!;
function showCoords(lonLat: number[]): void {
  const [x, y] = toVn2000([lonLat[0], lonLat[1]]);
  coords.textContent = `${t('coords.wgs84')}: ${lonLat[1].toFixed(6)}° N, ${lonLat[0].toFixed(6)}° E · ${t('coords.vn2000')}: X ${fmtNumber(y, 2)} m, Y ${fmtNumber(x, 2)} m`;
}
map.on('pointermove', (e) => { if (!e.dragging) showCoords(toLonLat(e.coordinate)); });
map.on('moveend', () => showCoords(toLonLat(map.getView().getCenter()!)));

// ------------------------------------------------------------------ parcels: search, click, panel
const geojson = new GeoJSON({ featureProjection: 'EPSG:3857' });
/** True while the page follows an address the browser changed: what it shows then adds no history entry. */
let following = false;
/** The address last written or followed: a popstate and a hashchange for one step are followed once. */
let followed = location.hash;
function showParcel(f: ParcelFeature, fit: boolean, focus = false): void {
  highlight.getSource()!.clear();
  if (f.geometry) {
    const feature = geojson.readFeature(f);
    highlight.getSource()!.addFeature(feature as never);
    if (fit) map.getView().fit((feature as never as { getGeometry(): { getExtent(): number[] } }).getGeometry().getExtent(), { padding: clearOfPanel(), maxZoom: 19, duration: 300 });
  }
  const chosen = state.parcel !== f.properties.parcelId;
  state.parcel = f.properties.parcelId;
  renderParcel(f);
  saveView(chosen && !following);
  if (focus) document.getElementById('panel-title')!.focus();
}
document.addEventListener('landgis:panel-closed', () => { highlight.getSource()!.clear(); state.parcel = undefined; saveView(); });
document.getElementById('panel-close')!.addEventListener('click', () => { closePanel(); mapEl.focus(); });
// Esc closes the panel and gives the focus back to the map (it fell to the page's body)
document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !document.getElementById('panel')!.hidden) { closePanel(); mapEl.focus(); } });

async function parcelAt(lonLat: number[]): Promise<void> {
  panelLoading(t('parcel.number'));
  try {
    const f = await getJson<ParcelFeature>(`/api/parcels/at?lon=${lonLat[0].toFixed(7)}&lat=${lonLat[1].toFixed(7)}&tolerance=2`, { auth: true, expected: [404, 422] });
    if (!f) {
      highlight.getSource()!.clear();
      openPanel(t('parcel.number')).append(h('p', { class: 'note', role: 'status', text: t('parcel.none') }));
      document.getElementById('panel')!.removeAttribute('aria-busy');
      return;
    }
    showParcel(f, false);
    keepAbovePanel(fromLonLat(lonLat));
  } catch (e) {
    panelError(t('parcel.lookupFailed'), e);
  }
}

/**
 * The padding that keeps a parcel fitted to the view clear of the panel that opens with it: on a phone a sheet over
 * the map's lower 55 % (the parcel was centred under it), elsewhere a column on the right.
 */
function clearOfPanel(): number[] {
  const box = mapEl.getBoundingClientRect();
  if (window.matchMedia('(max-width: 700px)').matches) return [40, 20, Math.round(box.height * 0.55) + 20, 20];
  return [60, Math.round(Math.min(410, box.width / 2)) + 30, 60, 60];
}

/** On a phone the panel is a sheet over the map's lower half: the place tapped is moved into the half left visible. */
function keepAbovePanel(coordinate: number[]): void {
  const panelEl = document.getElementById('panel')!;
  const mapBox = mapEl.getBoundingClientRect();
  const sheet = panelEl.getBoundingClientRect();
  const top = sheet.top - mapBox.top;
  const px = map.getPixelFromCoordinate(coordinate);
  if (panelEl.hidden || sheet.width < mapBox.width * 0.9 || !px || top <= 0 || top >= mapBox.height - 1 || px[1] < top - 40) return;   // no sheet, or the place is above it
  const view = map.getView();
  const centre = map.getPixelFromCoordinate(view.getCenter()!);
  view.animate({ center: map.getCoordinateFromPixel([centre[0], centre[1] + px[1] - top / 2]), duration: 250 });
}

map.on('singleclick', async (e) => {
  results.hidden = true;   // the search's answers give way to what the map was asked
  // a field report's dot: the report (category, status, what was reported), not the parcel under it (the layer's own
  // hit test: the map's getFeaturesAtPixel found no point of this vector-tile layer)
  if (layers.field_reports.getVisible()) {
    const report = await layers.field_reports.getFeatures(e.pixel).catch(() => []);
    if (report.length) {
      renderReport({ id: report[0].getId(), ...report[0].getProperties() });   // the tile's feature id is the report's
      return;
    }
  }
  if (drawing) return;   // the clicks place the drawn area's corners
  if (planningMode) {
    const hit = map.getFeaturesAtPixel(e.pixel, { layerFilter: (l) => l === layers.planning_zones, hitTolerance: 2 });
    if (hit.length) {
      renderZone(hit[0].getProperties());
      return;
    }
  }
  parcelAt(toLonLat(e.coordinate));
});
// the zoom buttons' tips in the language chosen (they kept the one the page opened in)
onLangChange(() => {
  for (const [cls, key] of [['ol-zoom-in', 'map.zoomIn'], ['ol-zoom-out', 'map.zoomOut']]) {
    const b = mapEl.querySelector(`.${cls}`);
    b?.setAttribute('title', t(key));
    b?.setAttribute('aria-label', t(key));
  }
});
// keyboard: Enter on the focused map asks about its centre
mapEl.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target === mapEl) parcelAt(toLonLat(map.getView().getCenter()!)); });

if (state.parcel) {
  // a link with a parcel but no view (e.g. from another application) shows the parcel
  const fit = !state.c;
  getJson<ParcelFeature>(`/api/parcels/${state.parcel}`, { auth: true, expected: [404] }).then((f) => f && showParcel(f, fit)).catch((e) => panelError(t('parcel.lookupFailed'), e));
}

// the address changed by the browser (Back, Forward, a link pasted into this tab, an edited #p=): the page follows
// it (the panel kept the parcel it had while the address named another); popstate and hashchange may both come
function followAddress(): void {
  if (location.hash === followed) return;
  followed = location.hash;
  const next = readHash();
  following = true;
  try {
    if (next.c) map.getView().setCenter(fromLonLat(next.c));
    if (next.z !== undefined) map.getView().setZoom(next.z);
    if ((next.mode === 'planning') !== planningMode) setPlanningMode(next.mode === 'planning');
    if (!next.parcel && state.parcel) {
      closePanel();
    } else if (next.parcel && next.parcel !== state.parcel) {
      const wanted = next.parcel;
      getJson<ParcelFeature>(`/api/parcels/${wanted}`, { auth: true, expected: [404] })
        .then((f) => {
          if (readHash().parcel !== wanted) return;   // the address moved on meanwhile
          following = true;
          try {
            if (f) showParcel(f, !next.c);
            else openPanel(t('parcel.number')).append(h('p', { class: 'note', role: 'status', text: t('parcel.none') }));
          } finally {
            following = false;
          }
        })
        .catch((e) => panelError(t('parcel.lookupFailed'), e));
    }
  } finally {
    following = false;
  }
}
window.addEventListener('popstate', followAddress);
window.addEventListener('hashchange', followAddress);

interface SearchHit { type: 'Feature'; id: string | number; geometry: unknown; bbox?: number[]; properties: Record<string, unknown> & { match: string } }
const searchForm = document.getElementById('search') as HTMLFormElement;
const searchInput = document.getElementById('search-q') as HTMLInputElement;
const results = document.getElementById('search-results')!;
searchForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const q = searchInput.value.trim();
  if (!q) return;
  results.hidden = false;
  loading(results);
  results.setAttribute('aria-busy', 'true');
  try {
    const fc = await getJson<{ features: SearchHit[]; hint?: string }>(`/api/parcels/search?q=${encodeURIComponent(q)}&limit=10`, { auth: true });
    clear(results);
    const hits = fc!.features;
    if (!hits.length) {
      // what the query lacks, when the server can tell (a parcel number without its sheet and commune)
      results.append(h('p', { class: 'note', role: 'status', text: fc!.hint ? inLanguage(fc!.hint) : t('search.none') }));
      return;
    }
    const ul = h('ul', { class: 'results', 'aria-label': t('search.results') });
    for (const hit of hits) {
      const p = hit.properties;
      // an administrative unit (commune, district, province) by its name, which says its kind, and its era
      // with what it lies in (three wards are named "Phường 1"), and said when it has no map to show yet
      const unit = p.match === 'commune';
      const label = unit ? t('search.commune', String(p.name) + (p.within ? `, ${p.within}` : ''), t(p.era === '2025' ? 'search.era.2025' : 'search.era.legacy'))
          + (hit.bbox ? '' : ` – ${t('search.unmapped')}`)
        : t('search.parcel', String(p.sheetNo), String(p.parcelNo), String(p.communeName)) + (p.address ? ` – ${p.address}` : '');
      ul.append(h('li', {}, h('button', { type: 'button', class: 'result', disabled: unit && !hit.bbox, onclick: () => {
        results.hidden = true;
        if (p.match === 'commune') {
          if (hit.bbox) map.getView().fit(transformExtent(hit.bbox, 'EPSG:4326', 'EPSG:3857'), { duration: 300 });
        } else {
          showParcel(hit as unknown as ParcelFeature, true, true);
        }
      }, text: label })));
    }
    results.append(ul);
    (ul.querySelector('button') as HTMLButtonElement).focus();
  } catch (err) {
    showError(results, err);
  } finally {
    results.removeAttribute('aria-busy');
  }
});
results.addEventListener('keydown', (e) => { if (e.key === 'Escape') { results.hidden = true; searchInput.focus(); } });

// ------------------------------------------------------------------ planning view (investors)
let planningMode = state.mode === 'planning';
const plans = new globalThis.Map<string, string>();
const planTool = document.getElementById('plan-tool')!;
const planSelect = document.getElementById('plan-select') as HTMLSelectElement;
const planOpacity = document.getElementById('plan-opacity') as HTMLInputElement;
const swipeOn = document.getElementById('swipe-on') as HTMLInputElement;
const swipe = document.getElementById('swipe') as HTMLInputElement;
const planToggle = document.getElementById('mode-planning') as HTMLButtonElement;

layers.planning_zones.getSource()!.on('tileloadend', (e) => {
  const tile = (e as unknown as { tile: { getFeatures(): FeatureLike[] } }).tile;
  let changed = false;
  for (const f of tile.getFeatures()) {
    const id = f.get('plan_id');
    if (id !== undefined && !plans.has(String(id))) {
      plans.set(String(id), String(f.get('plan_name') ?? id));
      changed = true;
    }
  }
  if (changed) renderPlans();
});

function renderPlans(): void {
  const keep = selectedPlan;
  clear(planSelect);
  planSelect.append(h('option', { value: '', text: plans.size ? t('plan.choose') : t('plan.none') }));
  for (const [id, name] of plans) planSelect.append(h('option', { value: id, text: name, selected: id === keep }));
}

function setPlanningMode(on: boolean): void {
  planningMode = on;
  planTool.hidden = !on;
  if (!on && drawing) stopDrawing();
  planToggle.setAttribute('aria-pressed', String(on));
  state.mode = on ? 'planning' : undefined;
  if (on) layers.planning_zones.setVisible(true);
  else swipeOn.checked = false;
  swipe.disabled = !swipeOn.checked;
  renderSwitcher();
  map.render();
  saveView();
}
planToggle.addEventListener('click', () => setPlanningMode(!planningMode));
planSelect.addEventListener('change', () => {
  selectedPlan = planSelect.value || undefined;
  layers.planning_zones.changed();
  saveView();
});
planOpacity.value = String(Math.round(layers.planning_zones.getOpacity() * 100));
planOpacity.addEventListener('input', () => { layers.planning_zones.setOpacity(Number(planOpacity.value) / 100); saveView(); });
swipeOn.addEventListener('change', () => { swipe.disabled = !swipeOn.checked; map.render(); });
swipe.addEventListener('input', () => map.render());

// swipe: current land use (parcels) on the left of the line, the plan on the right
function clip(side: 'left' | 'right') {
  return (event: RenderEvent) => {
    if (!planningMode || !swipeOn.checked) return;
    const ctx = event.context as CanvasRenderingContext2D;
    const size = map.getSize()!;
    const x = size[0] * (Number(swipe.value) / 100);
    const [x0, x1] = side === 'left' ? [0, x] : [x, size[0]];
    const tl = getRenderPixel(event, [x0, 0]);
    const tr = getRenderPixel(event, [x1, 0]);
    const bl = getRenderPixel(event, [x0, size[1]]);
    const br = getRenderPixel(event, [x1, size[1]]);
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(tl[0], tl[1]);
    ctx.lineTo(bl[0], bl[1]);
    ctx.lineTo(br[0], br[1]);
    ctx.lineTo(tr[0], tr[1]);
    ctx.closePath();
    ctx.clip();
  };
}
const restore = (event: RenderEvent) => { if (planningMode && swipeOn.checked) (event.context as CanvasRenderingContext2D).restore(); };
for (const l of [layers.parcels, parcelsPng]) {
  l.on('prerender', clip('left'));
  l.on('postrender', restore);
}
layers.planning_zones.on('prerender', clip('right'));
layers.planning_zones.on('postrender', restore);

// ------------------------------------------------------------------ a drawn area's planning (investors)
// the zones of the plans in force over an area drawn on the map, in VN-2000 square metres (POST /api/planning/overlay)
const drawButton = document.getElementById('draw-area') as HTMLButtonElement;
const drawHint = document.getElementById('draw-hint')!;
const drawn = new VectorSource();
map.addLayer(new VectorLayer({ source: drawn, zIndex: 20, style: new Style({ stroke: new Stroke({ color: '#d4351c', width: 2.5, lineDash: [8, 5] }) }) }));
let drawing: Draw | undefined;
function stopDrawing(): void {
  if (drawing) map.removeInteraction(drawing);
  drawing = undefined;
  drawButton.setAttribute('aria-pressed', 'false');
  drawHint.hidden = true;
}
drawButton.addEventListener('click', () => {
  if (drawing) {
    stopDrawing();
    return;
  }
  drawn.clear();
  drawing = new Draw({ source: drawn, type: 'Polygon' });
  drawing.on('drawend', (e) => {
    stopDrawing();
    overlayOfArea(e.feature.getGeometry()!);
  });
  map.addInteraction(drawing);
  drawButton.setAttribute('aria-pressed', 'true');
  drawHint.hidden = false;
});
document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && drawing) { drawing.abortDrawing(); stopDrawing(); drawButton.focus(); } });
async function overlayOfArea(geometry: Geometry): Promise<void> {
  panelLoading(t('area.title'));
  try {
    const body = JSON.stringify(geojson.writeGeometryObject(geometry, { featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326', decimals: 7 }));
    const res = await request('/api/planning/overlay', { method: 'POST', auth: true, headers: { 'Content-Type': 'application/json' }, body });
    renderAreaPlanning((await res!.json()) as PlanningAnswer);
  } catch (e) {
    panelError(t('area.title'), e);
  }
}
document.addEventListener('landgis:panel-closed', () => drawn.clear());

renderPlans();
setPlanningMode(planningMode);
onLangChange(renderPlans);
document.getElementById('panel')!.hidden = !state.parcel;
// for browser tests and the console: the map object
(window as unknown as { landgisMap: Map }).landgisMap = map;
