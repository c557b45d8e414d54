// fetch with problem-details errors, and the officer's HTTP Basic credentials (sessionStorage, this tab only).
import { t, lang } from './i18n';

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly problemType?: string) {
    super(message);
  }
}

const AUTH_KEY = 'landgis.auth';

export function credentials(): { user: string; header: string } | null {
  const raw = sessionStorage.getItem(AUTH_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

export function setCredentials(user: string, password: string): void {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  const header = 'Basic ' + btoa(String.fromCharCode(...bytes));
  sessionStorage.setItem(AUTH_KEY, JSON.stringify({ user, header }));
}

export function clearCredentials(): void {
  sessionStorage.removeItem(AUTH_KEY);
}

export interface RequestOptions extends RequestInit {
  auth?: boolean;
  /** HTTP statuses that are answers, not errors (e.g. 404 for "nothing here"): resolved as null. */
  expected?: number[];
}

export async function request(url: string, opts: RequestOptions = {}): Promise<Response | null> {
  const headers = new Headers(opts.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/geo+json, application/problem+json');
  const c = opts.auth ? credentials() : null;
  if (c) headers.set('Authorization', c.header);
  // the page's own request: a 401 without the Basic challenge, which would open the browser's sign-in dialog over the
  // page's own (and keep its password past "sign out"); Sec-Fetch-Mode alone is not sent over plain http to an intranet
  headers.set('X-Requested-With', 'XMLHttpRequest');
  let res: Response;
  try {
    res = await fetch(url, { ...opts, headers });
  } catch {
    throw new ApiError(0, t('error.network'));
  }
  if (res.ok) return res;
  if (opts.expected?.includes(res.status)) return null;
  const known = t(`error.status.${res.status}`);
  let message = known === `error.status.${res.status}` ? `${res.status} ${res.statusText}` : known;
  let type: string | undefined;
  try {
    const p = await res.json();
    // RFC 9457 problem details on /api; Open311 answers [{code, description}]
    const first = Array.isArray(p) ? p[0] : p;
    message = inLanguage(first?.detail || first?.description || message);
    type = first?.type;
  } catch {
    /* not JSON */
  }
  throw new ApiError(res.status, message, type);
}

/** The server writes its messages "tiếng Việt / English": the page's language's half. */
export function inLanguage(message: string): string {
  const i = message.indexOf(' / ');
  if (i <= 0) return message;
  return lang() === 'vi' ? message.slice(0, i) : message.slice(i + 3);
}

export async function getJson<T>(url: string, opts: RequestOptions = {}): Promise<T | null> {
  const res = await request(url, opts);
  return res ? ((await res.json()) as T) : null;
}

/** A UUID for Idempotency-Key, also outside secure contexts (crypto.randomUUID needs HTTPS or localhost). */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
