/**
 * Plans (quy hoạch), their zones and lines; the planning overlay of a parcel or a drawn area (which plans in
 * force cover it, with areas in VN-2000 metres), the planning-information sheet (PDF, XLSX) and land statistics.
 */
package vn.landgis.planning;
