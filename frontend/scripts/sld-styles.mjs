// Reads the SLD 1.0 styles of ../styles (the same files the WMS draws with) and writes their rules as JSON for
// the web map, so that vector tiles are drawn in exactly the colours of the map server: fills, strokes, dashes,
// point marks, hatches, labels, scale ranges and equality filters (land_use_code, status, ...).
// Usage: node scripts/sld-styles.mjs <styles dir> <output.json>
import { readFileSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A tiny XML reader: elements (local names, namespace prefixes dropped), text and CDATA; comments skipped. */
export function parseXml(text) {
  const root = { name: '#root', children: [], text: '' };
  const stack = [root];
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[\s\S]*?>|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let m;
  while ((m = re.exec(text))) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) {
      top.children.push({ name: '#text', text: m[1] });
    } else if (m[2]) {
      stack.pop();
    } else if (m[3]) {
      const attrs = {};
      for (const a of m[4].matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[local(a[1])] = a[2] ?? a[3];
      const el = { name: local(m[3]), attrs, children: [] };
      top.children.push(el);
      if (!m[5]) stack.push(el);
    } else if (m[6] !== undefined && m[6].trim()) {
      top.children.push({ name: '#text', text: decode(m[6]) });
    }
  }
  return root;
}
const local = (n) => n.replace(/^.*:/, '');
const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const kids = (el, name) => (el ? el.children.filter((c) => c.name === name) : []);
const kid = (el, name) => kids(el, name)[0];
const text = (el) => (el ? el.children.filter((c) => c.name === '#text').map((c) => c.text).join('').trim() : undefined);
const num = (el) => (el === undefined ? undefined : Number(text(el)));
function css(el) {
  const out = {};
  for (const p of kids(el, 'CssParameter').concat(kids(el, 'SvgParameter'))) out[p.attrs.name] = text(p);
  return out;
}

function filter(el) {
  if (!el) return null;
  const f = el.children.find((c) => c.name !== '#text');
  return f ? op(f) : null;
}
function op(f) {
  switch (f.name) {
    case 'PropertyIsEqualTo':
    case 'PropertyIsNotEqualTo':
      return { op: f.name === 'PropertyIsEqualTo' ? 'eq' : 'ne', prop: text(kid(f, 'PropertyName')), value: text(kid(f, 'Literal')) };
    case 'And':
    case 'Or':
      return { op: f.name.toLowerCase(), args: f.children.filter((c) => c.name !== '#text').map(op) };
    case 'Not':
      return { op: 'not', args: f.children.filter((c) => c.name !== '#text').map(op) };
    default:
      // drawn by the WMS, not by the web map: the rule matches nothing here (and the build says so)
      console.warn(`sld-styles: filter ${f.name} not supported, its rule is left out of the web map`);
      return { op: 'none' };
  }
}

function stroke(el) {
  if (!el) return undefined;
  const c = css(el);
  return {
    color: c.stroke ?? '#000000',
    width: c['stroke-width'] !== undefined ? Number(c['stroke-width']) : 1,
    opacity: c['stroke-opacity'] !== undefined ? Number(c['stroke-opacity']) : 1,
    dash: c['stroke-dasharray'] ? c['stroke-dasharray'].trim().split(/[\s,]+/).map(Number) : undefined,
  };
}
function fill(el) {
  if (!el) return undefined;
  const graphic = kid(kid(el, 'GraphicFill'), 'Graphic');
  if (graphic) {
    const mark = kid(graphic, 'Mark');
    return { hatch: text(kid(mark, 'WellKnownName')), stroke: stroke(kid(mark, 'Stroke')), size: num(kid(graphic, 'Size')) ?? 8 };
  }
  const c = css(el);
  return { color: c.fill ?? '#808080', opacity: c['fill-opacity'] !== undefined ? Number(c['fill-opacity']) : 1 };
}

function symbolizers(rule) {
  const out = [];
  for (const s of rule.children) {
    if (s.name === 'PolygonSymbolizer') out.push({ kind: 'polygon', fill: fill(kid(s, 'Fill')), stroke: stroke(kid(s, 'Stroke')) });
    else if (s.name === 'LineSymbolizer') out.push({ kind: 'line', stroke: stroke(kid(s, 'Stroke') ?? s) });
    else if (s.name === 'PointSymbolizer') {
      const g = kid(s, 'Graphic');
      const mark = kid(g, 'Mark');
      out.push({ kind: 'point', shape: text(kid(mark, 'WellKnownName')) ?? 'square', fill: fill(kid(mark, 'Fill')),
        stroke: stroke(kid(mark, 'Stroke')), size: num(kid(g, 'Size')) ?? 6 });
    } else if (s.name === 'TextSymbolizer') {
      const label = kid(s, 'Label');
      const parts = label.children.map((c) => (c.name === 'PropertyName' ? { prop: text(c) } : c.name === 'Literal' ? { text: c.children.map((t) => t.text).join('') } : c.name === '#text' ? { text: c.text } : null)).filter(Boolean);
      const font = css(kid(s, 'Font') ?? s);
      const halo = kid(s, 'Halo');
      out.push({ kind: 'text', label: parts, size: Number(font['font-size'] ?? 10), weight: font['font-weight'] ?? 'normal',
        fill: fill(kid(s, 'Fill'))?.color ?? '#000000', halo: halo ? { radius: num(kid(halo, 'Radius')) ?? 1, color: fill(kid(halo, 'Fill'))?.color ?? '#FFFFFF' } : undefined });
    }
  }
  return out;
}

export function convert(sld) {
  const doc = parseXml(sld);
  const sldEl = kid(doc, 'StyledLayerDescriptor');
  const layer = kid(sldEl, 'NamedLayer');
  const style = kid(layer, 'UserStyle');
  return {
    name: text(kid(layer, 'Name')),
    title: text(kid(style, 'Title')),
    featureTypeStyles: kids(style, 'FeatureTypeStyle').map((fts) => ({
      rules: kids(fts, 'Rule').map((r) => ({
        name: text(kid(r, 'Name')),
        title: text(kid(r, 'Title')),
        minScale: num(kid(r, 'MinScaleDenominator')),
        maxScale: num(kid(r, 'MaxScaleDenominator')),
        filter: filter(kid(r, 'Filter')),
        elseFilter: !!kid(r, 'ElseFilter'),
        symbolizers: symbolizers(r),
      })),
    })),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const [dir, out] = process.argv.slice(2);
  const styles = {};
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.sld')).sort()) {
    styles[f.replace(/\.sld$/, '')] = convert(readFileSync(join(dir, f), 'utf8'));
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(styles));
  console.log(`sld-styles: ${Object.keys(styles).length} styles -> ${out}`);
}
