// /report: a citizen reports a problem from a phone (360 px wide and up). Locate me (geolocation with its
// accuracy circle) or drop a pin, a category from Open311 services.json, a description and a photo; sent as
// GeoReport v2 multipart/form-data with an Idempotency-Key (a retry after a lost answer makes no second ticket);
// then the ticket number and its status (/report#ticket=ID is the ticket's status page).
import 'ol/ol.css';
import '../common/app.css';
import Map from 'ol/Map';
import View from 'ol/View';
import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import { circular } from 'ol/geom/Polygon';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Style, Fill, Stroke, Circle as CircleStyle } from 'ol/style';
import { Zoom, ScaleLine } from 'ol/control';
import { defaults as defaultInteractions } from 'ol/interaction/defaults';
import { fromLonLat, toLonLat } from 'ol/proj';
import { tileLayer, rasterStandIn } from '../common/layers';
import { h, clear, loading, showError } from '../common/dom';
import { t, applyI18n, bindLangSwitch, onLangChange, fmtDate } from '../common/i18n';
import { ApiError, getJson, request, uuid, inLanguage } from '../common/api';

applyI18n(document);
bindLangSwitch(document.getElementById('lang') as HTMLButtonElement);

interface Service { service_code: string; service_name: string; description?: string; group?: string }
interface ServiceRequest { service_request_id: string; status: string; status_notes?: string; service_name?: string; description?: string;
  requested_datetime?: string; updated_datetime?: string; lat?: number; long?: number; address?: string }

const pin = new Feature<Point>();
const accuracy = new Feature();
const marks = new VectorLayer({
  source: new VectorSource({ features: [accuracy, pin] }),
  style: (f) => f === pin
    ? new Style({ image: new CircleStyle({ radius: 9, fill: new Fill({ color: '#D7191C' }), stroke: new Stroke({ color: '#FFFFFF', width: 3 }) }) })
    : new Style({ fill: new Fill({ color: 'rgba(0,87,184,0.15)' }), stroke: new Stroke({ color: '#0057B8', width: 1.5 }) }),
  zIndex: 10,
});
const mapEl = document.getElementById('report-map')!;
const parcels = tileLayer('parcels');
const parcelsPng = rasterStandIn(parcels, 'parcels', 13.5);
const map = new Map({
  target: mapEl,
  layers: [tileLayer('districts'), parcelsPng, parcels, tileLayer('communes_2025'), marks],
  controls: [new Zoom({ zoomInTipLabel: t('map.zoomIn'), zoomOutTipLabel: t('map.zoomOut') }), new ScaleLine()],
  interactions: defaultInteractions({ onFocusOnly: false }),
  view: new View({ center: fromLonLat([106.413, 10.533]), zoom: 14, maxZoom: 21, minZoom: 7 }),
});
let renders = 0;
map.on('rendercomplete', () => (mapEl.dataset.rendered = String(++renders)));

let pinLonLat: [number, number] | null = null;
/** The geolocation's accuracy (m) when the pin came from it; a pin dropped by hand has none. */
let pinAccuracy: number | null = null;
const pinStatus = document.getElementById('pin-status')!;
function setPin(lonLat: [number, number]): void {
  pinLonLat = lonLat;
  pin.setGeometry(new Point(fromLonLat(lonLat)));
  pinStatus.removeAttribute('data-i18n');
  pinStatus.textContent = t('report.pin', lonLat[1].toFixed(6), lonLat[0].toFixed(6));
  mapEl.dataset.pin = `${lonLat[0].toFixed(7)},${lonLat[1].toFixed(7)}`;
  pinAccuracy = null;
  // the "choose a place" error, if shown, is answered
  if (document.querySelector('#submit-status .error')) document.getElementById('submit-status')!.replaceChildren();
}

/** A new report starts without the last one's place (it was kept silently). */
function clearPin(): void {
  pinLonLat = null;
  pinAccuracy = null;
  pin.setGeometry(undefined);
  accuracy.setGeometry(undefined);
  delete mapEl.dataset.pin;
  pinStatus.textContent = t('report.noPin');
}
map.on('singleclick', (e) => { accuracy.setGeometry(undefined); setPin(toLonLat(e.coordinate) as [number, number]); });
document.getElementById('pin-centre')!.addEventListener('click', () => { accuracy.setGeometry(undefined); setPin(toLonLat(map.getView().getCenter()!) as [number, number]); });
mapEl.addEventListener('keydown', (e) => { if (e.key === 'Enter') setPin(toLonLat(map.getView().getCenter()!) as [number, number]); });

const locate = document.getElementById('locate') as HTMLButtonElement;
locate.addEventListener('click', () => {
  if (!('geolocation' in navigator)) {
    pinStatus.textContent = t('report.locateFailed', 'geolocation');
    return;
  }
  locate.disabled = true;
  pinStatus.textContent = t('report.locating');
  navigator.geolocation.getCurrentPosition((pos) => {
    locate.disabled = false;
    const lonLat: [number, number] = [pos.coords.longitude, pos.coords.latitude];
    setPin(lonLat);
    const acc = Math.max(1, pos.coords.accuracy);
    pinAccuracy = acc;
    accuracy.setGeometry(circular(lonLat, acc, 64).transform('EPSG:4326', 'EPSG:3857'));
    pinStatus.textContent += ' · ' + t('report.accuracy', Math.round(acc));
    map.getView().fit(accuracy.getGeometry()!.getExtent(), { maxZoom: 19, padding: [30, 30, 30, 30], duration: 300 });
  }, (err) => {
    locate.disabled = false;
    pinStatus.textContent = t('report.locateFailed', err.message || String(err.code));
  }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
});

// ------------------------------------------------------------------ categories
const select = document.getElementById('service_code') as HTMLSelectElement;
const servicesStatus = document.getElementById('services-status')!;
const submit = document.getElementById('submit') as HTMLButtonElement;
let services: Service[] = [];
function renderServices(): void {
  const keep = select.value;
  clear(select);
  select.append(h('option', { value: '', text: t('report.categoryChoose') }));
  for (const s of services) select.append(h('option', { value: s.service_code, text: s.service_name, selected: s.service_code === keep }));
}
async function loadServices(): Promise<void> {
  loading(servicesStatus);
  try {
    services = (await getJson<Service[]>('/open311/v2/services.json'))!;
    clear(servicesStatus);
    renderServices();
  } catch (e) {
    showError(servicesStatus, t('report.categoriesFailed', e instanceof Error ? e.message : String(e)));
    submit.disabled = true;
  }
}
onLangChange(renderServices);

// ------------------------------------------------------------------ submit
const form = document.getElementById('report-form') as HTMLFormElement;
const submitStatus = document.getElementById('submit-status')!;
let idempotencyKey = uuid();

function invalid(msg: string, focus: HTMLElement): void {
  clear(submitStatus);
  submitStatus.append(h('p', { class: 'status error', role: 'alert', text: msg }));
  focus.focus();
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!pinLonLat) return invalid(t('report.needPin'), locate);
  if (!select.value) return invalid(t('report.needCategory'), select);
  const description = (document.getElementById('description') as HTMLTextAreaElement);
  if (!description.value.trim()) return invalid(t('report.needDescription'), description);
  const data = new FormData();
  data.set('service_code', select.value);
  data.set('lat', pinLonLat[1].toFixed(7));
  data.set('long', pinLonLat[0].toFixed(7));
  if (pinAccuracy !== null) data.set('accuracy', pinAccuracy.toFixed(1));
  data.set('description', description.value.trim().normalize('NFC'));
  for (const name of ['address_string', 'first_name', 'last_name', 'email', 'phone']) {
    const v = (document.getElementById(name) as HTMLInputElement).value.trim().normalize('NFC');
    if (v) data.set(name, v);
  }
  const media = (document.getElementById('media') as HTMLInputElement).files?.[0];
  if (media) data.set('media', media, media.name);
  submit.disabled = true;
  clear(submitStatus);
  submitStatus.append(h('p', { class: 'status loading', role: 'status', text: t('report.sending') }));
  try {
    const res = await request('/open311/v2/requests.json', { method: 'POST', body: data, headers: { 'Idempotency-Key': idempotencyKey } });
    const answer = (await res!.json()) as { service_request_id?: string; token?: string; service_notice?: string }[];
    const id = answer[0]?.service_request_id ?? answer[0]?.token;
    if (!id) throw new ApiError(500, 'no service_request_id');
    idempotencyKey = uuid();
    form.reset();
    clear(submitStatus);
    history.replaceState(null, '', `#ticket=${encodeURIComponent(id)}`);
    await showTicket(id, answer[0]?.service_notice);
  } catch (err) {
    showError(submitStatus, err);
  } finally {
    submit.disabled = false;
  }
});

// ------------------------------------------------------------------ the ticket and its status
const ticket = document.getElementById('ticket')!;
/** The ticket's page; {@code notice} the answer to a report just sent (who handles it, by when), absent for a link. */
let shownTicket: { id: string; notice?: string } | undefined;
async function showTicket(id: string, notice?: string, focus = true): Promise<void> {
  shownTicket = { id, notice };
  ticket.hidden = false;
  form.hidden = true;
  loading(ticket);
  try {
    const list = (await getJson<ServiceRequest[]>(`/open311/v2/requests/${encodeURIComponent(id)}.json`))!;
    const r = list[0];
    clear(ticket);
    ticket.append(...[
      h('h2', { id: 'ticket-number', 'data-ticket': r.service_request_id, text: t(notice === undefined ? 'report.ticket' : 'report.sent', r.service_request_id) }),
      notice ? h('p', { id: 'ticket-notice', class: 'note', text: inLanguage(notice) }) : null,
      h('p', { id: 'ticket-status', 'data-status': r.status, text: t('report.status', t(`status.${r.status}`) === `status.${r.status}` ? r.status : t(`status.${r.status}`)) }),
      r.status_notes ? h('p', { class: 'note', text: r.status_notes }) : null,
      r.requested_datetime ? h('p', { class: 'note', text: fmtDate(r.requested_datetime) }) : null,
      h('p', {}, h('a', { href: `/report#ticket=${encodeURIComponent(r.service_request_id)}`, text: t('report.statusLink') })),
      h('button', { type: 'button', class: 'secondary', onclick: () => { ticket.hidden = true; form.hidden = false; clearPin(); history.replaceState(null, '', '/report'); }, text: t('report.another') })].filter((x) => x !== null) as HTMLElement[]);
    (document.getElementById('ticket-number') as HTMLElement).setAttribute('tabindex', '-1');
    if (focus) (document.getElementById('ticket-number') as HTMLElement).focus();
  } catch (e) {
    showError(ticket, e);
  }
}

// the ticket in the language just chosen (it stayed in the one it was drawn in)
onLangChange(() => { if (shownTicket && !ticket.hidden) showTicket(shownTicket.id, shownTicket.notice, false); });

const m = /ticket=([^&]+)/.exec(location.hash);
if (m) showTicket(decodeURIComponent(m[1]));
loadServices();
