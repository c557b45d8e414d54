// The view in the URL (#z=&c=lon,lat&l=layers&o=layer:opacity&p=parcel&mode=&plan=): shareable links.
export interface ViewState {
  z?: number;
  c?: [number, number];
  layers?: string[];
  opacity: Record<string, number>;
  parcel?: number;
  mode?: string;
  plan?: string;
  base?: string;
}

export function readHash(hash = location.hash, search = location.search): ViewState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  // links that give the place as a query (?lon=&lat=&z=, as older import reports and other applications write them)
  const q = new URLSearchParams(search);
  if (!p.has('c') && q.has('lon') && q.has('lat')) {
    p.set('c', `${q.get('lon')},${q.get('lat')}`);
    if (!p.has('z') && q.has('z')) p.set('z', q.get('z')!);
  }
  const s: ViewState = { opacity: {} };
  const z = Number(p.get('z'));
  if (p.has('z') && Number.isFinite(z) && z >= 0 && z <= 24) s.z = z;
  const c = (p.get('c') ?? '').split(',').map(Number);
  if (c.length === 2 && c.every(Number.isFinite) && Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 90) s.c = [c[0], c[1]];
  if (p.has('l')) s.layers = p.get('l')!.split(',').filter((x) => /^[a-z0-9_]+$/.test(x));
  for (const o of (p.get('o') ?? '').split(',')) {
    const [name, v] = o.split(':');
    if (name && v !== undefined && Number.isFinite(Number(v))) s.opacity[name] = Math.min(1, Math.max(0, Number(v)));
  }
  const parcel = Number(p.get('p'));
  if (p.has('p') && Number.isInteger(parcel) && parcel > 0) s.parcel = parcel;
  if (p.get('mode') === 'planning') s.mode = 'planning';
  if (p.has('plan') && /^[0-9A-Za-z_-]{1,40}$/.test(p.get('plan')!)) s.plan = p.get('plan')!;
  if (p.get('base') === 'online') s.base = 'online';
  return s;
}

/**
 * The view written to the address bar: replacing the current history entry (moving the map), or adding one (a
 * parcel chosen: the browser's Back returns to the one before, on a phone too, instead of leaving the map).
 */
export function writeHash(s: ViewState, push = false): void {
  const p = new URLSearchParams();
  if (s.z !== undefined) p.set('z', s.z.toFixed(2));
  if (s.c) p.set('c', `${s.c[0].toFixed(6)},${s.c[1].toFixed(6)}`);
  if (s.layers) p.set('l', s.layers.join(','));
  const o = Object.entries(s.opacity).filter(([, v]) => v < 1).map(([k, v]) => `${k}:${v.toFixed(2)}`);
  if (o.length) p.set('o', o.join(','));
  if (s.parcel) p.set('p', String(s.parcel));
  if (s.mode) p.set('mode', s.mode);
  if (s.plan) p.set('plan', s.plan);
  if (s.base) p.set('base', s.base);
  const hash = '#' + p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
  if (hash === location.hash) return;
  if (push) history.pushState(null, '', hash);
  else history.replaceState(null, '', hash);
}
