// The land officers' import page (/imports): a district's delivery uploaded to POST /api/imports and followed to its
// end (GET /api/imports/{id}: status, progress, findings by rule, the report), and commune boundaries
// (POST /api/imports/boundaries). Behind the same HTTP Basic sign-in as the editor.
import 'ol/ol.css';
import '../common/app.css';
import OlMap from 'ol/Map';
import { createEmpty, extend } from 'ol/extent';
import View from 'ol/View';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Style, Fill, Stroke, Circle as CircleStyle } from 'ol/style';
import { Zoom, ScaleLine } from 'ol/control';
import { tileLayer, rasterStandIn } from '../common/layers';
import { ApiError, getJson, credentials, inLanguage } from '../common/api';
import { officerSignIn } from '../common/signin';
import { applyI18n, bindLangSwitch, define, onLangChange, t } from '../common/i18n';
import { clear, h, loading, showError } from '../common/dom';

define({
  'im.title': ['Nhập dữ liệu địa chính', 'Cadastral data import'],
  'ed.signin': ['Đăng nhập cán bộ địa chính', 'Land officer sign-in'],
  'ed.signin.checking': ['Đang kiểm tra tài khoản…', 'Checking the account…'],
  'im.notOfficer': ['Tài khoản {0} không phải cán bộ địa chính.', 'The account {0} is not a land officer.'],
  'im.delivery': ['Giao nộp của huyện', "A district's delivery"],
  'im.district': ['Mã huyện (cũ)', 'District code (former)'],
  'im.file': ['Tệp (.zip hoặc .gpkg)', 'File (.zip or .gpkg)'],
  'im.manifest': ['Manifest (.json, không bắt buộc)', 'Manifest (.json, optional)'],
  'im.dryRun': ['Chạy thử (không ghi vào sổ)', 'Dry run (nothing written to the register)'],
  'im.submit': ['Nhập', 'Import'],
  'im.job': ['Lô nhập', 'Import batch'],
  'im.findings': ['Phát hiện theo quy tắc', 'Findings by rule'],
  'im.report': ['Tải báo cáo (.xlsx)', 'Download the report (.xlsx)'],
  'im.line': ['Lô {0} · {1} · {2} đối tượng · {3}', 'Batch {0} · {1} · {2} features · {3}'],
  'im.badDistrict': ['Mã huyện gồm 3 chữ số.', 'The district code has 3 digits.'],
  'im.noFile': ['Hãy chọn tệp.', 'Choose a file.'],
  'im.boundaries': ['Ranh giới xã', 'Commune boundaries'],
  'im.boundaries.submit': ['Nạp ranh giới', 'Load the boundaries'],
  'im.boundaries.done': ['Đã nạp ranh giới {0} xã: {1}', 'Boundaries of {0} communes loaded: {1}'],
  'im.col.severity': ['Mức độ', 'Severity'],
  'im.col.rule': ['Quy tắc', 'Rule'],
  'im.col.count': ['Số lượng', 'Count'],
  'im.col.example': ['Ví dụ', 'Example'],
  'im.encoding': ['Bảng mã chữ: {0}', 'Text encoding: {0}'],
  'im.finding': ['{0} · {1}: {2}', '{0} · {1}: {2}'],
  'im.finding.where': ['xã {0}, tờ {1}, thửa {2}', 'commune {0}, sheet {1}, parcel {2}'],
  'im.finding.hint': ['Chọn một điểm trên bản đồ để xem phát hiện.', 'Click a point on the map to see its finding.'],
  'im.severity.error': ['lỗi', 'error'],
  'im.severity.warning': ['cảnh báo', 'warning'],
  'im.severity.info': ['thông tin', 'info'],
  'im.status.reading': ['đang đọc', 'reading'],
  'im.status.validating': ['đang kiểm tra', 'validating'],
  'im.status.publishing': ['đang công bố', 'publishing'],
  'im.status.validated': ['đã kiểm tra (chạy thử)', 'validated (dry run)'],
  'im.status.published': ['đã công bố', 'published'],
  'im.status.rejected': ['bị từ chối: có lỗi chặn công bố', 'rejected: errors block publishing'],
  'im.status.failed': ['thất bại', 'failed'],
  'im.map': ['Bản đồ các phát hiện của lô', "Map of the batch's findings"],
  'im.toMap': ['Xem trên bản đồ', 'Show on the map'],
  'im.col.map': ['Bản đồ', 'Map'],
  'im.options': ['Tùy chọn đọc tệp (thay cho manifest, hoặc bổ sung vào nó)', 'Reading options (instead of a manifest, or added to it)'],
  'im.opt.srid': ['Hệ tọa độ của tệp', "The file's coordinate system"],
  'im.opt.asDeclared': ['Theo tệp (.prj, GeoPackage)', 'As the file declares (.prj, GeoPackage)'],
  'im.opt.encoding': ['Bảng mã chữ (.dbf, MapInfo)', 'Text encoding (.dbf, MapInfo)'],
  'im.opt.detect': ['Tự nhận biết', 'Detect'],
  'im.opt.commune': ['Mã xã (tệp của một xã, không có cột mã xã)', "Commune code (one commune's file without a commune column)"],
  'im.opt.swap': ['Tọa độ ghi X (Bắc) trước, Y (Đông) sau', 'Coordinates written northing (X) first, easting (Y) second'],
  'im.opt.replace': ['Lô là bản đo đạc lại toàn bộ các xã (đóng cả các tờ của xã không có trong lô)', 'A new survey of whole communes (their sheets not in the delivery are retired too)'],
  'im.opt.holders': ['Ghi tên chủ sử dụng trong tệp vào sổ (theo bản đồ, chưa đối chiếu GCN)', "Record the file's holder names in the register (as the map names them, not checked against certificates)"],
  'im.opt.fix': ['Dời tờ bản đồ sai kinh tuyến trục hoặc chưa tính chuyển 7 tham số (VN-2000 TM-3)', 'Move sheets drawn in the wrong meridian or without the 7-parameter shift (VN-2000 TM-3)'],
  'im.badManifest': ['Manifest không phải JSON: {0}', 'The manifest is not JSON: {0}'],
  'im.badCommune': ['Mã xã gồm 5 chữ số.', 'The commune code has 5 digits.'],
  'im.opt.levels': ['Tờ FAMIS (DGN/DXF): lớp ranh thửa và lớp nhãn thửa (số level DGN hoặc tên layer DXF, cách nhau bằng dấu phẩy; để trống: mọi lớp)',
    'FAMIS sheets (DGN/DXF): the parcel boundary and label levels (DGN level numbers or DXF layer names, comma-separated; empty: every level)'],
  'im.opt.boundaryLevels': ['Lớp ranh thửa', 'Boundary levels'],
  'im.opt.labelLevels': ['Lớp nhãn thửa', 'Label levels'],
  'im.badLevels': ['Level DGN là số từ 0 đến 63; layer DXF là tên; cách nhau bằng dấu phẩy.', 'A DGN level is a number from 0 to 63, a DXF layer a name; separate them with commas.'],
});

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
applyI18n(document);
bindLangSwitch($<HTMLButtonElement>('lang'));

// ------------------------------------------------------------------ sign-in (the editor's)
let user = '';
const checkSignIn = officerSignIn((name) => {
  user = name;
  $('signin').hidden = true;
  $('workspace').hidden = false;
  $('logout').hidden = false;
  $('logout').textContent = t('login.logout', user);
}, 'im.notOfficer');
onLangChange(() => {
  if (user) $('logout').textContent = t('login.logout', user);
  if (last) showJob(last);
});

// ------------------------------------------------------------------ uploads (multipart, the officer's credentials)
async function post(url: string, form: FormData): Promise<Response> {
  const c = credentials();
  const res = await fetch(url, {
    method: 'POST', body: form,
    headers: { Accept: 'application/json, application/problem+json', 'X-Requested-With': 'XMLHttpRequest', ...(c ? { Authorization: c.header } : {}) },
  });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const p = await res.json();
      message = inLanguage(p.detail || p.title || message);
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message);
  }
  return res;
}

/** A form's district code (3 digits) and file as multipart, or null with what is wrong said in {@code status}. */
function districtAndFile(districtId: string, fileId: string, status: HTMLElement): FormData | null {
  const input = $<HTMLInputElement>(districtId);
  const district = input.value.trim();
  const file = $<HTMLInputElement>(fileId).files?.[0];
  const wrong = !/^[0-9]{3}$/.test(district) ? 'im.badDistrict' : !file ? 'im.noFile' : null;
  if (wrong || !file) {
    clear(status);
    status.append(h('p', { class: 'status error', role: 'alert', text: t(wrong ?? 'im.noFile') }));
    (wrong === 'im.badDistrict' ? input : $(fileId)).focus();
    return null;
  }
  const form = new FormData();
  form.append('district', district);
  form.append('file', file);
  return form;
}

interface Job {
  id: number; status: string; progress: number | null; sourceName: string; features: number | null; message: string | null; encoding?: string | null;
  findingsByRule: { severity: string; rule: string; count: number; exampleVi?: string; exampleEn?: string }[];
}
let last: Job | null = null;

function showJob(job: Job): void {
  last = job;
  $('job').hidden = false;
  $('job').dataset.status = job.status;
  $<HTMLProgressElement>('job-progress').value = job.progress ?? 0;
  const statusText = t('im.status.' + job.status);
  $('job-line').textContent = t('im.line', job.id, job.sourceName, job.features ?? 0, statusText === 'im.status.' + job.status ? job.status : statusText)
    + (job.message ? ' — ' + inLanguage(job.message) : '');
  // what the reader decided about the text encoding (TCVN3, VNI, UTF-8 and how sure), when it had to decide
  $('job-encoding').hidden = !job.encoding;
  $('job-encoding').textContent = job.encoding ? t('im.encoding', job.encoding) : '';
  const body = $('job-findings').querySelector('tbody')!;
  clear(body);
  for (const f of job.findingsByRule) {
    // the rule's first message says what it means (and mostly what to do): in the page's language
    const example = (document.documentElement.lang === 'en' ? f.exampleEn : f.exampleVi) ?? '';
    body.append(h('tr', { class: f.severity, 'data-rule': f.rule }, h('td', { text: t('im.severity.' + f.severity) === 'im.severity.' + f.severity ? f.severity : t('im.severity.' + f.severity) }), h('td', { text: f.rule }),
      h('td', { text: String(f.count) }), h('td', { class: 'example', text: example })));
  }
  $('job-report').hidden = !['validated', 'published', 'rejected'].includes(job.status);
}

async function follow(id: number): Promise<void> {
  for (;;) {
    const job = await getJson<Job>(`/api/imports/${id}`, { auth: true });
    if (!job) return;
    showJob(job);
    if (!['reading', 'validating', 'publishing'].includes(job.status)) return showFindingsMap(id);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// ------------------------------------------------------------------ the findings on a map (errors red, warnings amber)
const severityColour: Record<string, string> = { error: '#c62828', warning: '#ef8f00', info: '#1565c0' };
// errors drawn above warnings above infos (an error's point was hidden under the warnings at the same place)
const SEVERITY_ORDER: Record<string, number> = { error: 3, warning: 2, info: 1 };
const findingStyles: Record<string, Style> = Object.fromEntries(Object.entries(severityColour).map(([k, c]) => [k, new Style({
  image: new CircleStyle({ radius: 6, fill: new Fill({ color: c }), stroke: new Stroke({ color: '#fff', width: 1.5 }) }),
  zIndex: SEVERITY_ORDER[k] ?? 0,
})]));
const findingsSource = new VectorSource();
let findingsMap: OlMap | null = null;

/** The legend: each severity's colour and how many of the map's points it has (again in the other language). */
function renderLegend(): void {
  const features = findingsSource.getFeatures();
  const legend = $('job-legend');
  clear(legend);
  for (const sev of ['error', 'warning', 'info']) {
    const n = features.filter((f) => f.get('severity') === sev).length;
    if (n) legend.append(h('span', { class: 'swatch', style: `background:${severityColour[sev]};border-radius:50%`, 'aria-hidden': 'true' }),
      ` ${t('im.severity.' + sev)} (${n})  `);
  }
  legend.append(h('span', { text: t('im.finding.hint') }));
}
onLangChange(() => { if (findingsSource.getFeatures().length) renderLegend(); });

async function showFindingsMap(id: number): Promise<void> {
  const el = $('job-map');
  const geojson = await getJson<object>(`/api/imports/${id}/findings.geojson`, { auth: true });
  const features = geojson ? new GeoJSON().readFeatures(geojson, { featureProjection: 'EPSG:3857' }).filter((f) => f.getGeometry()) : [];
  findingsSource.clear();
  findingsSource.addFeatures(features);
  el.dataset.findings = String(features.length);
  el.hidden = features.length === 0;
  $('job-legend').hidden = features.length === 0;
  clear($('job-finding'));
  if (!features.length) return;
  renderLegend();
  if (!findingsMap) {
    const parcels = tileLayer('parcels');
    findingsMap = new OlMap({
      target: el,
      layers: [tileLayer('districts'), rasterStandIn(parcels, 'parcels', 13.5), parcels,
        new VectorLayer({ source: findingsSource, style: (f) => findingStyles[f.get('severity')] ?? findingStyles.info })],
      controls: [new Zoom({ zoomInTipLabel: t('map.zoomIn'), zoomOutTipLabel: t('map.zoomOut') }), new ScaleLine()],
      view: new View({ center: [0, 0], zoom: 2, maxZoom: 21 }),
    });
    let renders = 0;
    findingsMap.on('rendercomplete', () => (el.dataset.rendered = String(++renders)));
    // a point clicked: its finding (rule, where, what it says), in the page's language; the worst first
    findingsMap.on('singleclick', (e) => {
      const hit = findingsMap!.getFeaturesAtPixel(e.pixel, { hitTolerance: 4, layerFilter: (l) => l instanceof VectorLayer });
      hit.sort((a, b) => (SEVERITY_ORDER[b.get('severity')] ?? 0) - (SEVERITY_ORDER[a.get('severity')] ?? 0));
      describeFinding(hit.length ? hit[0].getProperties() : null);
    });
  }
  // each rule's row of the table takes the map to that rule's points
  for (const row of $('job-findings').querySelectorAll<HTMLTableRowElement>('tbody tr[data-rule]')) {
    const rule = row.dataset.rule!;
    const mine = features.filter((f) => f.get('rule') === rule);
    if (!mine.length || row.querySelector('button.to-map')) continue;
    row.append(h('td', {}, h('button', { type: 'button', class: 'secondary to-map', 'data-rule': rule, text: t('im.toMap'), onclick: () => {
      const extent = createEmpty();
      mine.forEach((f) => extend(extent, f.getGeometry()!.getExtent()));
      findingsMap!.getView().fit(extent, { padding: [40, 40, 40, 40], maxZoom: 19, duration: 300 });
      describeFinding(mine[0].getProperties());
      el.scrollIntoView({ block: 'nearest' });
    } })));
  }
  findingsMap.updateSize();
  const extent = findingsSource.getExtent();
  if (extent) findingsMap.getView().fit(extent, { padding: [30, 30, 30, 30], maxZoom: 18 });
}

/** A finding's rule, where and what it says, under the map, in the page's language (null: none). */
function describeFinding(p: Record<string, string> | null): void {
  const out = $('job-finding');
  clear(out);
  if (!p) return;
  const where = p.communeCode || p.sheetNo || p.parcelNo ? ' (' + t('im.finding.where', p.communeCode ?? '–', p.sheetNo ?? '–', p.parcelNo ?? '–') + ')' : '';
  out.append(h('p', { class: `status ${p.severity === 'error' ? 'error' : ''}`, 'data-rule': p.rule,
    text: t('im.finding', t('im.severity.' + p.severity), p.rule, (document.documentElement.lang === 'en' ? p.messageEn : p.messageVi) ?? '') + where }));
}

/** The systems a delivery may be in (SupportedCrs), offered in both forms' CRS choice. */
const CRS_CHOICES: [number, string][] = [[9209, 'VN-2000 / TM-3 105°30′'], [9210, 'VN-2000 / TM-3 105°45′'], [5897, 'VN-2000 / TM-3 105°00′'],
  [3405, 'VN-2000 / UTM 48N'], [3406, 'VN-2000 / UTM 49N'], [32648, 'WGS 84 / UTM 48N'], [32649, 'WGS 84 / UTM 49N'], [4326, 'WGS 84']];
for (const id of ['opt-srid', 'b-opt-srid']) {
  for (const [srid, title] of CRS_CHOICES) $(id).append(h('option', { value: String(srid), text: `${title} (EPSG:${srid})` }));
}

/** The ids of a form's reading options; those a form lacks are left out. */
interface OptionIds { details: string; srid: string; swap: string; encoding?: string; commune?: string; fix?: string; replace?: string; holders?: string;
  boundaryLevels?: string; labelLevels?: string }
const DELIVERY_OPTIONS: OptionIds = { details: 'options', srid: 'opt-srid', swap: 'opt-swap', encoding: 'opt-encoding', commune: 'opt-commune', fix: 'opt-fix',
  replace: 'opt-replace', holders: 'opt-holders', boundaryLevels: 'opt-boundary-levels', labelLevels: 'opt-label-levels' };

/** A levels field ("10, 13" or "RANHTHUA"): DGN level numbers as numbers, DXF layer names as text; empty: none. */
function levels(text: string, field: string): (number | string)[] {
  if (!text) return [];
  const out = text.split(',').map((v) => v.trim()).filter((v) => v !== '').map((v) => (/^[0-9]+$/.test(v) ? Number(v) : v));
  if (!out.length || out.length > 64 || out.some((v) => (typeof v === 'number' ? v > 63 : v.length > 100))) throw new OptionError(t('im.badLevels'), field);
  return out;
}
const BOUNDARY_OPTIONS: OptionIds = { details: 'b-options', srid: 'b-opt-srid', swap: 'b-opt-swap' };

/** A reading option the officer must correct: the message, and the field to show. */
class OptionError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/**
 * The manifest sent with an upload: the chosen file's, with the options set on the page added over it (a choice made
 * wins; an option left alone leaves the file's); null when there is neither. The server reads and checks it as any
 * manifest.
 */
async function manifestWithOptions(file: File | undefined, ids: OptionIds): Promise<Blob | null> {
  let manifest: Record<string, unknown> = {};
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch (err) {
      throw new OptionError(t('im.badManifest', (err as Error).message));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new OptionError(t('im.badManifest', '{ … }'));
    manifest = parsed as Record<string, unknown>;
  }
  const value = (id?: string) => (id ? $<HTMLInputElement | HTMLSelectElement>(id).value.trim() : '');
  const ticked = (id?: string) => (id ? $<HTMLInputElement>(id).checked : false);
  const commune = value(ids.commune);
  if (commune && !/^[0-9]{5}$/.test(commune)) throw new OptionError(t('im.badCommune'), ids.commune);
  if (value(ids.srid)) manifest.srid = Number(value(ids.srid));
  if (value(ids.encoding)) manifest.encoding = value(ids.encoding);
  if (commune) manifest.commune = commune;
  if (ticked(ids.swap)) manifest.swapAxes = true;
  if (ticked(ids.fix)) manifest.fixPlacement = true;
  if (ticked(ids.replace)) manifest.replaceCommunes = true;
  if (ticked(ids.holders)) manifest.holders = true;
  for (const [id, entry] of [[ids.boundaryLevels, 'boundaryLevels'], [ids.labelLevels, 'labelLevels']] as const) {
    const chosen = id ? levels(value(id), id) : [];
    if (chosen.length) manifest[entry] = chosen;
  }
  return file || Object.keys(manifest).length ? new Blob([JSON.stringify(manifest)], { type: 'application/json' }) : null;
}

/** The manifest of a form, appended to its multipart; false, with what is wrong said in {@code status}, when it cannot be. */
async function appendManifest(form: FormData, fileId: string, ids: OptionIds, status: HTMLElement): Promise<boolean> {
  try {
    const manifest = await manifestWithOptions($<HTMLInputElement>(fileId).files?.[0], ids);
    if (manifest) form.append('manifest', manifest, 'manifest.json');
    return true;
  } catch (err) {
    clear(status);
    status.append(h('p', { class: 'status error', role: 'alert', text: (err as Error).message }));
    const field = err instanceof OptionError ? err.field : undefined;
    if (field) {
      $<HTMLDetailsElement>(ids.details).open = true;
      $(field).focus();
    }
    return false;
  }
}

$('import-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const status = $('import-status');
  const form = districtAndFile('district', 'file', status);
  if (!form) return;
  if (!(await appendManifest(form, 'manifest', DELIVERY_OPTIONS, status))) return;
  form.append('dryRun', String($<HTMLInputElement>('dry-run').checked));
  $<HTMLButtonElement>('import-submit').disabled = true;
  loading(status);
  try {
    const job = (await (await post('/api/imports', form)).json()) as Job;
    clear(status);
    showJob(job);
    await follow(job.id);
  } catch (err) {
    showError(status, err);
  } finally {
    $<HTMLButtonElement>('import-submit').disabled = false;
  }
});

// the report needs the officer's credentials: fetched, then saved from a blob
$('job-report').addEventListener('click', async () => {
  if (!last) return;
  const c = credentials();
  const res = await fetch(`/api/imports/${last.id}/report.xlsx`, { headers: { 'X-Requested-With': 'XMLHttpRequest', ...(c ? { Authorization: c.header } : {}) } });
  if (!res.ok) return showError($('import-status'), new ApiError(res.status, `${res.status} ${res.statusText}`));
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: `import-${last.id}.xlsx` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
});

$('boundaries-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const status = $('boundaries-status');
  const form = districtAndFile('b-district', 'b-file', status);
  if (!form) return;
  if (!(await appendManifest(form, 'b-manifest', BOUNDARY_OPTIONS, status))) return;
  loading(status);
  try {
    const r = (await (await post('/api/imports/boundaries', form)).json()) as { communes: string[] };
    clear(status);
    status.dataset.communes = String(r.communes.length);
    status.append(h('p', { class: 'status ok', role: 'status', text: t('im.boundaries.done', r.communes.length, r.communes.join(', ')) }));
  } catch (err) {
    showError(status, err);
  }
});

checkSignIn();
