// Our layers as vector tiles (/tiles/{layer}/{z}/{x}/{y}.mvt, TileJSON at /tiles/{layer}.json), styled as their SLD.
import VectorTileLayer from 'ol/layer/VectorTile';
import TileLayer from 'ol/layer/Tile';
import XYZ from 'ol/source/XYZ';
import VectorTileSource from 'ol/source/VectorTile';
import MVT from 'ol/format/MVT';
import { hasLabels, sldStyle, type StyleOptions } from './mapstyle';
import { getJson } from './api';

export interface TileJson { minzoom: number; maxzoom: number; bounds?: [number, number, number, number]; center?: [number, number, number] }

/** Vector tiles stop at this zoom; deeper views over-zoom them (fewer requests, same geometry at 1:2 000). */
const MAX_TILE_ZOOM = 18;

export function tileLayer(name: string, opts: StyleOptions & { visible?: boolean; minZoom?: number; className?: string } = {}): VectorTileLayer {
  const source = new VectorTileSource({
    format: new MVT(),
    url: `/tiles/${name}/{z}/{x}/{y}.mvt`,
    maxZoom: MAX_TILE_ZOOM,
  });
  const layer = new VectorTileLayer({
    source,
    style: sldStyle(name, opts),
    // one declutter group for every layer: labels of communes, districts, parcels and zones never overlap
    declutter: hasLabels(name),
    visible: opts.visible ?? true,
    minZoom: opts.minZoom,
    className: opts.className,
    renderMode: 'hybrid',
    properties: { name },
  });
  return layer;
}

/** The TileJSON of a layer (its zoom range and bounds), or null when the layer is unknown to this caller. */
export function tileJson(name: string): Promise<TileJson | null> {
  return getJson<TileJson>(`/tiles/${name}.json`, { expected: [404] });
}

export function legendUrl(name: string): string {
  return `/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&LAYER=${encodeURIComponent(name)}&FORMAT=image/png`;
}

/**
 * Parcels are vector tiles from this zoom (1:5 600) on; below it the server's PNG tiles of the same SLD draw them.
 * Over a million parcels, a zoom-15 view is 20 MB of vector tiles (bench/webapp.md) and a zoom-17 view 2.4 MB.
 */
export const PARCEL_VECTOR_ZOOM = 16.5;

/**
 * The PNG tiles (/tiles/{layer}/{z}/{x}/{y}.png, drawn by the map server with the layer's SLD) that stand in for a
 * vector layer below {@link PARCEL_VECTOR_ZOOM}; they follow the vector layer's visibility and opacity.
 */
export function rasterStandIn(vector: VectorTileLayer, name: string, minZoom?: number): TileLayer {
  const raster = new TileLayer({
    source: new XYZ({ url: `/tiles/${name}/{z}/{x}/{y}.png`, maxZoom: 18 }),
    maxZoom: PARCEL_VECTOR_ZOOM,
    minZoom,
    visible: vector.getVisible(),
    opacity: vector.getOpacity(),
    properties: { name: name + '_png' },
  });
  vector.setMinZoom(PARCEL_VECTOR_ZOOM);
  vector.on('change:visible', () => raster.setVisible(vector.getVisible()));
  vector.on('change:opacity', () => raster.setOpacity(vector.getOpacity()));
  return raster;
}
