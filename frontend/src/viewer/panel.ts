// The side panel: a parcel's public facts, its planning overlay (zones, areas, shares as a bar chart, the PDF
// sheet) and, for land officers, its history (HTTP Basic credentials held in sessionStorage).
import { h, clear, loading, showError } from '../common/dom';
import { t, changeKind, fmtDay, fmtNumber, fmtDate, onLangChange, lang } from '../common/i18n';
import { ApiError, getJson, credentials, setCredentials, clearCredentials, inLanguage } from '../common/api';

export interface ParcelProps {
  parcelId: number; versionId: number; communeCode: string; communeName: string; newCommuneCode?: string; newCommuneName?: string;
  sheetNo: number; parcelNo: number; landUseCode: string; landUseName: string; landUseNameEn?: string;
  otherLandUses?: { code: string; name?: string; nameEn?: string }[];
  legalArea?: number | null; geomArea?: number; address?: string; validFrom?: string; distance?: number;
  rights?: { rightType: string; share?: number; certificateNo?: string; declaredInBatch?: number; party: { fullName: string; idNumber?: string } }[];
}
export interface ParcelFeature { type: 'Feature'; id: number; geometry: GeoJSON; properties: ParcelProps }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type GeoJSON = any;

export interface PlanningAnswer {
  parcel?: { id: number; area: number };
  area: number;
  notes?: string[];
  plans: {
    id: number; name: string; kind: string; kindName?: string; scale?: number;
    decision?: { number?: string; date?: string; body?: string };
    zones: { id: number; zoneCode: string; landUseCode: string; landUseName: string; area: number; share: number;
      buildingDensity?: number; heightLimitM?: number; maxFloors?: number; floorAreaRatio?: number; setbackM?: number; matchesCurrentUse?: boolean }[];
    lines?: { kind: string; kindName: string; area: number; share: number }[];
    uncoveredArea?: number;
  }[];
  links?: { sheetPdf?: string; sheetXlsx?: string };
}

/** What the panel shows, drawn again when the language changes. */
let redraw: (() => void) | null = null;
onLangChange(() => { if (redraw && !panel().hidden) redraw(); });

const panel = () => document.getElementById('panel') as HTMLElement;

/** The land-use list's English names (the zones' and the overlay's answers carry the Vietnamese one only). */
const englishUse = new Map<string, string>();
getJson<{ code: string; nameEn: string }[]>('/api/web/land-use-types')
  .then((list) => (list ?? []).forEach((u) => englishUse.set(u.code, u.nameEn))).catch(() => undefined);
/** A land use's name in the page's language: the English one where the list has it. */
function useName(code: unknown, vi: unknown): string {
  const en = lang() === 'en' ? englishUse.get(String(code)) : undefined;
  return en ?? (vi === undefined || vi === null || vi === '' ? '–' : String(vi));
}
const body = () => document.getElementById('panel-body') as HTMLElement;
const title = () => document.getElementById('panel-title') as HTMLElement;

export function openPanel(heading: string): HTMLElement {
  const p = panel();
  p.hidden = false;
  title().textContent = heading;
  clear(body());
  return body();
}

export function closePanel(): void {
  panel().hidden = true;
  redraw = null;
  document.dispatchEvent(new CustomEvent('landgis:panel-closed'));
}

export function panelLoading(heading: string): void {
  loading(openPanel(heading));
  panel().setAttribute('aria-busy', 'true');
}

export function panelError(heading: string, err: unknown): void {
  showError(openPanel(heading), err);
  panel().removeAttribute('aria-busy');
}

const m2 = (v: number | null | undefined) => (v === undefined || v === null ? '—' : `${fmtNumber(Number(v), 1)} m²`);

function row(label: string, value: string | Node, id?: string): HTMLElement {
  return h('div', { class: 'row' }, h('dt', { text: label }), h('dd', { id }, value));
}

export function renderParcel(f: ParcelFeature): void {
  redraw = () => renderParcel(f);
  const p = f.properties;
  const b = openPanel(t('parcel.title', p.parcelNo, p.sheetNo));
  panel().removeAttribute('aria-busy');
  panel().dataset.parcelId = String(p.parcelId);
  const dl = h('dl', { class: 'facts' },
    row(t('parcel.number'), String(p.parcelNo), 'parcel-no'),
    row(t('parcel.sheet'), String(p.sheetNo), 'parcel-sheet'),
    row(t('parcel.commune'), `${p.communeName} (${p.communeCode})`),
    p.newCommuneName ? row(t('parcel.newCommune'), `${p.newCommuneName} (${p.newCommuneCode})`) : null,
    row(t('parcel.landUse'), [{ code: p.landUseCode, name: p.landUseName, nameEn: p.landUseNameEn }, ...(p.otherLandUses ?? [])]
      .map((u) => `${u.code} – ${document.documentElement.lang === 'en' && u.nameEn ? u.nameEn : u.name ?? ''}`).join('; '), 'parcel-land-use'),
    // a parcel cut by an edit has no legal area until its certificate gives one: said, not a dash
    row(t('parcel.legalArea'), p.legalArea === undefined || p.legalArea === null ? t('parcel.legalArea.none') : m2(p.legalArea), 'parcel-area'),
    row(t('parcel.geomArea'), m2(p.geomArea)),
    p.address ? row(t('parcel.address'), p.address) : null,
    p.validFrom ? row(t('parcel.validFrom'), fmtDate(p.validFrom)) : null,
    p.rights?.length ? row(t('parcel.owners'), p.rights.map((r) => `${r.party.fullName}${r.certificateNo ? ' · ' + r.certificateNo : ''}${r.declaredInBatch ? ' (' + t('parcel.ownerFromMap') + ')' : ''}`).join('; '), 'parcel-owners') : null,
  );
  b.append(dl);
  if (p.distance) b.append(h('p', { class: 'note', text: t('parcel.distance', fmtNumber(p.distance, 1)) }));
  const planning = h('section', { id: 'planning', 'aria-labelledby': 'planning-h' }, h('h3', { id: 'planning-h', text: t('planning') }));
  const planningBody = h('div', { id: 'planning-body' });
  planning.append(planningBody);
  const hist = h('section', { id: 'history', 'aria-labelledby': 'history-h' }, h('h3', { id: 'history-h', text: t('history') }));
  const histBody = h('div', { id: 'history-body' });
  hist.append(histBody);
  b.append(planning, hist);
  loadPlanning(p.parcelId, planningBody);
  renderHistory(p.parcelId, histBody);
}

async function loadPlanning(parcelId: number, el: HTMLElement): Promise<void> {
  loading(el);
  el.setAttribute('aria-busy', 'true');
  try {
    const a = await getJson<PlanningAnswer>(`/api/parcels/${parcelId}/planning`, { expected: [404] });
    if (!a) {
      clear(el);
      el.append(h('p', { class: 'note', text: t('planning.unavailable') }));
    } else {
      renderPlanning(a, el);
    }
  } catch (e) {
    showError(el, e);
  } finally {
    el.removeAttribute('aria-busy');
  }
}

const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];

/** A horizontal stacked bar of shares (SVG), with a text alternative. */
function shareChart(parts: { label: string; share: number }[]): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 300 24');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'share-chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('planning.chart') + ': ' + parts.map((p) => `${p.label} ${fmtNumber(p.share * 100, 1)}%`).join(', '));
  let x = 0;
  parts.forEach((p, i) => {
    const w = Math.max(0, p.share) * 300;
    const r = document.createElementNS(ns, 'rect');
    r.setAttribute('x', String(x));
    r.setAttribute('y', '0');
    r.setAttribute('width', String(w));
    r.setAttribute('height', '24');
    r.setAttribute('fill', PALETTE[i % PALETTE.length]);
    const tt = document.createElementNS(ns, 'title');
    tt.textContent = `${p.label}: ${fmtNumber(p.share * 100, 1)}%`;
    r.append(tt);
    svg.append(r);
    x += w;
  });
  return svg;
}

export function renderPlanning(a: PlanningAnswer, el: HTMLElement): void {
  clear(el);
  if (!a.plans.length) {
    el.append(h('p', { class: 'note', text: t('planning.none') }));
  }
  for (const plan of a.plans) {
    const sec = h('div', { class: 'plan', 'data-plan-id': plan.id },
      h('h4', { text: plan.name }),
      plan.kindName ? h('p', { class: 'note', text: plan.kindName }) : null,
      plan.decision?.number ? h('p', { class: 'note', text: t('planning.decision', plan.decision.number, plan.decision.date ? fmtDay(plan.decision.date) : '', plan.decision.body ?? '') }) : null);
    const parts = plan.zones.map((z) => ({ label: z.zoneCode, share: z.share }));
    if (plan.uncoveredArea && a.area > 0) parts.push({ label: t('planning.uncovered'), share: plan.uncoveredArea / a.area });
    sec.append(shareChart(parts));
    const table = h('table', { class: 'zones' },
      h('caption', { class: 'sr-only', text: plan.name }),
      h('thead', {}, h('tr', {}, ...['', t('planning.zone'), t('planning.landUse'), t('planning.area'), t('planning.share')].map((c) => h('th', { scope: 'col', text: c })))));
    const tbody = h('tbody');
    plan.zones.forEach((z, i) => tbody.append(h('tr', { class: 'zone-row', 'data-zone-id': z.id },
      h('td', {}, h('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}`, 'aria-hidden': 'true' })),
      h('td', { text: z.zoneCode }),
      h('td', { text: `${z.landUseCode} – ${useName(z.landUseCode, z.landUseName)}${z.matchesCurrentUse ? ' ✓' : ''}`, title: z.matchesCurrentUse ? t('planning.matches') : undefined }),
      h('td', { class: 'num', text: fmtNumber(z.area, 1) }),
      h('td', { class: 'num', text: `${fmtNumber(z.share * 100, 1)} %` }))));
    for (const l of plan.lines ?? []) {
      tbody.append(h('tr', { class: 'line-row' }, h('td'), h('td', { text: t('planning.lines') }), h('td', { text: l.kindName }),
        h('td', { class: 'num', text: fmtNumber(l.area, 1) }), h('td', { class: 'num', text: `${fmtNumber(l.share * 100, 1)} %` })));
    }
    table.append(tbody);
    sec.append(table);
    el.append(sec);
  }
  if (a.links?.sheetPdf) el.append(h('a', { class: 'button', href: a.links.sheetPdf, download: '', id: 'planning-pdf', text: t('planning.pdf') }));
  if (a.links?.sheetXlsx) el.append(' ', h('a', { class: 'button secondary', href: a.links.sheetXlsx, download: '', text: t('planning.xlsx') }));
}

/** The planning of an area drawn on the map (POST /api/planning/overlay): its area, the answer's notes, the plans. */
export function renderAreaPlanning(a: PlanningAnswer): void {
  redraw = () => renderAreaPlanning(a);
  const b = openPanel(t('area.title'));
  panel().removeAttribute('aria-busy');
  b.append(h('dl', { class: 'facts', id: 'area-facts' }, row(t('area.size'), m2(a.area))));
  for (const note of a.notes ?? []) b.append(h('p', { class: 'note', text: inLanguage(note) }));
  const el = h('div', { id: 'planning-body' });
  b.append(el);
  // the notes say when no plan covers it: the table's own "none" would say it twice
  if (a.plans.length || !(a.notes ?? []).length) renderPlanning(a, el);
}

interface History {
  parcelId: number;
  versions: { versionId: number; sheetNo: number; parcelNo: number; landUseCode: string; otherLandUses?: string[]; legalArea?: number | null; validFrom: string; validTo?: string;
    openedBy?: { kind: string; at: string; actor: string; reason?: string }; closedBy?: { kind: string; at: string; actor: string; reason?: string } }[];
  lineage: { parentVersion: number; childVersion: number; changeId: number }[];
}

/**
 * The whole panel again after a sign-in or sign-out: what the parcel's facts show depends on who asks (the holders
 * are for land officers only; they stayed on screen after signing out on a shared computer).
 */
function reloadParcel(parcelId: number, historyEl: HTMLElement): void {
  getJson<ParcelFeature>(`/api/parcels/${parcelId}`, { auth: true, expected: [404] })
    .then((f) => (f ? renderParcel(f) : renderHistory(parcelId, historyEl)))
    .catch((e) => {
      if (e instanceof ApiError && e.status === 401) {   // a wrong password: refused, not downgraded
        clearCredentials();
        renderHistory(parcelId, historyEl);
        historyEl.prepend(h('p', { class: 'status error', role: 'alert', text: t('login.failed') }));
      } else {
        showError(historyEl, e);
      }
    });
}

function renderHistory(parcelId: number, el: HTMLElement): void {
  clear(el);
  const c = credentials();
  if (!c) {
    el.append(loginForm(() => reloadParcel(parcelId, el)));
    return;
  }
  el.append(h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => { clearCredentials(); reloadParcel(parcelId, el); }, text: t('login.logout', c.user) })));
  const list = h('div', { 'aria-live': 'polite' });
  el.append(list);
  loading(list);
  getJson<History>(`/api/parcels/${parcelId}/history`, { auth: true }).then((hst) => {
    clear(list);
    const ol = h('ol', { class: 'history' });
    for (const v of hst!.versions) {
      const li = h('li', { text: t('history.version', v.versionId, v.parcelNo, v.sheetNo, [v.landUseCode, ...(v.otherLandUses ?? [])].join('+'), v.legalArea == null ? '—' : fmtNumber(v.legalArea, 1)) });
      for (const ch of [v.openedBy, v.closedBy]) {
        if (ch) li.append(h('div', { class: 'note', text: t('history.change', changeKind(ch.kind), fmtDate(ch.at), ch.actor, ch.reason ? ` (${ch.reason})` : '') }));
      }
      ol.append(li);
    }
    list.append(ol);
  }).catch((e) => {
    if (e instanceof ApiError && e.status === 401) {
      clearCredentials();
      renderHistory(parcelId, el);
      el.prepend(h('p', { class: 'status error', role: 'alert', text: t('login.failed') }));
    } else if (e instanceof ApiError && e.status === 403) {
      clear(list);
      list.append(h('p', { class: 'status error', role: 'alert', text: t('history.forbidden') }));
    } else {
      showError(list, e);
    }
  });
}

function loginForm(done: () => void): HTMLFormElement {
  const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true });
  const pw = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'login', 'aria-label': t('history.login') },
    h('p', { class: 'note', text: t('history.login') }),
    h('label', { for: 'login-user', text: t('login.user') }), user,
    h('label', { for: 'login-password', text: t('login.password') }), pw,
    h('button', { type: 'submit', text: t('login.submit') }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setCredentials(user.value.trim(), pw.value);
    done();
  });
  return form;
}

/** A citizen's field report (from the field_reports tiles' public attributes). */
export function renderReport(props: Record<string, unknown>): void {
  redraw = () => renderReport(props);
  const b = openPanel(t('reportPanel.title', String(props.id ?? '')));
  panel().removeAttribute('aria-busy');
  const v = (k: string) => (props[k] === undefined || props[k] === null || props[k] === '' ? '–' : String(props[k]));
  const status = String(props.status ?? props.public_status ?? '');
  const statusName = t(`status.${status}`) === `status.${status}` ? status : t(`status.${status}`);
  b.append(h('dl', { class: 'facts', id: 'report-facts' },
    row(t('reportPanel.category'), v('category_name')),
    row(t('reportPanel.status'), statusName || '–'),
    row(t('reportPanel.reported'), props.reported_at ? fmtDate(String(props.reported_at)) : '–'),
    // the report's commune is the 2025 one (ows.field_reports: commune_code, commune_name), not the former
    row(t('parcel.newCommune'), v('commune_name')),
    row(t('reportPanel.description'), v('description')),
    props.status_notes ? row(t('reportPanel.notes'), v('status_notes')) : null));
}

/** The indicators and decision of a planning zone (from the planning_zones tiles' attributes). */
export function renderZone(props: Record<string, unknown>): void {
  redraw = () => renderZone(props);
  const b = openPanel(t('zone.title', String(props.zone_code ?? '')));
  panel().removeAttribute('aria-busy');
  // numbers as the page's language writes them (a floor-area ratio of 1,5 in Vietnamese)
  const v = (k: string) => (props[k] === undefined || props[k] === null ? '–'
    : typeof props[k] === 'number' ? (props[k] as number).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 2 })
    : String(props[k]));
  b.append(h('dl', { class: 'facts', id: 'zone-facts' },
    row(t('zone.plan'), v('plan_name')),
    row(t('zone.decision'), v('decision_no')),
    row(t('zone.landUse'), `${v('land_use_code')} – ${useName(props.land_use_code, props.land_use_name)}`),
    row(t('zone.density'), v('building_density')),
    row(t('zone.height'), v('height_limit_m')),
    row(t('zone.floors'), v('max_floors')),
    row(t('zone.far'), v('floor_area_ratio'))));
}
