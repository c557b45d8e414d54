// The province's coordinate systems for proj4 (the same definitions as migration V2: VN-2000 bound to WGS 84 by
// the official EPSG:6960 parameters, never PROJ's Mekong-delta EPSG:5194).
import proj4 from 'proj4';
import { register } from 'ol/proj/proj4';

const TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278';
const tm3 = (lon0: number) => `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=${TOWGS84} +units=m +no_defs`;

proj4.defs('EPSG:4756', `+proj=longlat +ellps=WGS84 +towgs84=${TOWGS84} +no_defs`);
proj4.defs('EPSG:9210', tm3(105.75));
proj4.defs('EPSG:9209', tm3(105.5));
proj4.defs('EPSG:5897', tm3(105));
register(proj4);

/** The storage system of the province (VN-2000 / TM-3 105°45′). */
export const STORAGE_CRS = 'EPSG:9210';

/** WGS 84 lon/lat to VN-2000 TM-3 easting/northing. */
export function toVn2000(lonLat: [number, number]): [number, number] {
  return proj4('EPSG:4326', STORAGE_CRS, lonLat) as [number, number];
}
