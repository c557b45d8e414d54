// Small DOM helpers: elements without innerHTML (no injection from data), status lines.
import { t } from './i18n';

type Attrs = Record<string, string | number | boolean | undefined | null | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A status line: loading, an error, or nothing. role=status / role=alert for screen readers. */
export function loading(el: HTMLElement): void {
  clear(el);
  el.append(h('p', { class: 'status loading', role: 'status', text: t('loading') }));
}

export function showError(el: HTMLElement, err: unknown): void {
  clear(el);
  const msg = err instanceof Error ? err.message : String(err);
  el.append(h('p', { class: 'status error', role: 'alert', text: t('error', msg) }));
}
