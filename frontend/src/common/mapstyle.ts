// OpenLayers styles from the SLD rules of styles/*.sld (converted at build time by scripts/sld-styles.mjs):
// the vector tiles get the colours, dashes, marks, hatches, labels and scale ranges of the WMS.
import { Fill, Stroke, Style, Text, Circle as CircleStyle, RegularShape } from 'ol/style';
import type { FeatureLike } from 'ol/Feature';
import type { StyleFunction } from 'ol/style/Style';
import styles from '../generated/styles.json';

interface StrokeDef { color: string; width: number; opacity: number; dash?: number[] }
interface FillDef { color?: string; opacity?: number; hatch?: string; stroke?: StrokeDef; size?: number }
interface Sym {
  kind: 'polygon' | 'line' | 'point' | 'text';
  fill?: FillDef; stroke?: StrokeDef; shape?: string; size?: number;
  label?: { prop?: string; text?: string }[]; weight?: string; halo?: { radius: number; color: string };
}
interface Filter { op: string; prop?: string; value?: string; args?: Filter[] }
interface Rule { name?: string; title?: string; minScale?: number; maxScale?: number; filter: Filter | null; elseFilter: boolean; symbolizers: Sym[] }
export interface StyleDef { name: string; title?: string; featureTypeStyles: { rules: Rule[] }[] }

export const STYLES = styles as unknown as Record<string, StyleDef>;

/** OGC's standard rendering pixel: 0.28 mm; the scale denominator of a Web Mercator resolution. */
export const scaleOf = (resolution: number) => resolution / 0.00028;

export function rgba(hex: string, opacity = 1): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${opacity})`;
}

function matches(f: Filter, feature: FeatureLike): boolean {
  switch (f.op) {
    case 'eq': return String(feature.get(f.prop!) ?? '') === f.value;
    case 'ne': return String(feature.get(f.prop!) ?? '') !== f.value;
    case 'and': return f.args!.every((a) => matches(a, feature));
    case 'or': return f.args!.some((a) => matches(a, feature));
    case 'not': return !matches(f.args![0], feature);
    default: return false;
  }
}

const inRange = (r: Rule, scale: number) => (r.minScale === undefined || scale >= r.minScale) && (r.maxScale === undefined || scale < r.maxScale);

function stroke(s: StrokeDef | undefined): Stroke | undefined {
  return s ? new Stroke({ color: rgba(s.color, s.opacity), width: s.width, lineDash: s.dash, lineJoin: 'round' }) : undefined;
}

function hatch(def: FillDef): CanvasPattern | string {
  const size = Math.max(4, Math.round(def.size ?? 8));
  const c = document.createElement('canvas');
  c.width = c.height = size;
  const ctx = c.getContext('2d')!;
  ctx.strokeStyle = rgba(def.stroke?.color ?? '#000000', def.stroke?.opacity ?? 1);
  ctx.lineWidth = def.stroke?.width ?? 1;
  ctx.beginPath();
  if (def.hatch === 'shape://backslash') { ctx.moveTo(0, 0); ctx.lineTo(size, size); } else { ctx.moveTo(0, size); ctx.lineTo(size, 0); }
  ctx.stroke();
  return ctx.createPattern(c, 'repeat') ?? 'rgba(0,0,0,0)';
}

function fill(def: FillDef | undefined): Fill | undefined {
  if (!def) return undefined;
  return new Fill({ color: def.hatch ? hatch(def) : rgba(def.color ?? '#808080', def.opacity ?? 1) });
}

function build(sym: Sym, z: number): Style {
  switch (sym.kind) {
    case 'polygon': return new Style({ fill: fill(sym.fill), stroke: stroke(sym.stroke), zIndex: z });
    case 'line': return new Style({ stroke: stroke(sym.stroke), zIndex: z + 1 });
    case 'point': {
      const radius = (sym.size ?? 6) / 2;
      const image = sym.shape === 'circle'
        ? new CircleStyle({ radius, fill: fill(sym.fill), stroke: stroke(sym.stroke) })
        : new RegularShape({ points: sym.shape === 'triangle' ? 3 : 4, radius: radius * Math.SQRT2, angle: sym.shape === 'triangle' ? 0 : Math.PI / 4, fill: fill(sym.fill), stroke: stroke(sym.stroke) });
      return new Style({ image, zIndex: z + 2 });
    }
    case 'text':
      return new Style({
        zIndex: z + 3,
        text: new Text({
          font: `${sym.weight === 'bold' ? 'bold ' : ''}${sym.size ?? 10}px "DejaVu Sans", sans-serif`,
          fill: new Fill({ color: sym.fill as unknown as string }),
          stroke: sym.halo ? new Stroke({ color: sym.halo.color, width: sym.halo.radius * 2 }) : undefined,
          overflow: false,
        }),
      });
  }
}

export interface StyleOptions {
  /** Only features for which this answers true are drawn (e.g. one plan of the planning zones). */
  where?: (feature: FeatureLike) => boolean;
}

/**
 * A layer's SLD when it is not the file of the layer's name (the catalog's `style:` in application.yaml); a name
 * missing from the build falls back to the file of the layer's name, then to the SLD whose NamedLayer it is.
 */
const STYLE_OF: Record<string, string> = { communes_2025: 'communes', field_reports: 'field_reports_status' };

/** A plain style for a layer whose SLD the build did not see: it is drawn, in grey, rather than not at all. */
const FALLBACK: StyleDef = { name: 'fallback', featureTypeStyles: [{ rules: [{ filter: null, elseFilter: false, symbolizers: [
  { kind: 'polygon', fill: { color: '#9E9E9E', opacity: 0.3 }, stroke: { color: '#616161', width: 1, opacity: 1 } },
  { kind: 'point', shape: 'circle', size: 8, fill: { color: '#616161', opacity: 1 }, stroke: { color: '#FFFFFF', width: 1, opacity: 1 } }] }] }] };

/** The SLD of a layer: the catalog's style named here, the file of its name, or the SLD whose NamedLayer it is. */
export function styleFor(layer: string): StyleDef {
  return STYLES[STYLE_OF[layer] ?? layer] ?? Object.values(STYLES).find((s) => s.name === layer) ?? FALLBACK;
}

/** An OpenLayers style function that draws a layer as its SLD says. */
export function sldStyle(layer: string, options: StyleOptions = {}): StyleFunction {
  const def = styleFor(layer);
  const cache = new Map<string, Style>();
  const styleOf = (fi: number, ri: number, si: number, sym: Sym) => {
    const key = `${fi}/${ri}/${si}`;
    let s = cache.get(key);
    if (!s) cache.set(key, (s = build(sym, fi * 10)));
    return s;
  };
  return (feature, resolution) => {
    if (options.where && !options.where(feature)) return undefined;
    const scale = scaleOf(resolution);
    const out: Style[] = [];
    def.featureTypeStyles.forEach((fts, fi) => {
      let matched = false;
      const add = (r: Rule, ri: number) =>
        r.symbolizers.forEach((sym, si) => {
          const s = styleOf(fi, ri, si, sym);
          if (sym.kind === 'text') {
            // a polygon that crosses tiles is labelled in the one tile that holds its point on surface (the server says
            // which: label_here); tiles made before that attribute existed label every piece, as before
            if (feature.get('label_here') === false) return;
            const label = sym.label!.map((p) => (p.prop ? String(feature.get(p.prop) ?? '') : p.text ?? '')).join('').trim();
            if (!label) return;
            // a shared Style whose text is set just before OpenLayers reads it (the usual vector-tile label pattern)
            s.getText()!.setText(label);
          }
          out.push(s);
        });
      fts.rules.forEach((r, ri) => {
        if (!r.elseFilter && inRange(r, scale) && (!r.filter || matches(r.filter, feature))) {
          matched = true;
          add(r, ri);
        }
      });
      if (!matched) fts.rules.forEach((r, ri) => r.elseFilter && inRange(r, scale) && add(r, ri));
    });
    return out;
  };
}

/** Whether a layer's style has labels (such layers are decluttered). */
export function hasLabels(layer: string): boolean {
  return styleFor(layer).featureTypeStyles.some((f) => f.rules.some((r) => r.symbolizers.some((s) => s.kind === 'text'))) ?? false;
}
