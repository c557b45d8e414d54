/**
 * The web map's server side: the single-page application's entry points ({@code /}, {@code /report},
 * {@code /editor}) and its run-time configuration ({@code /api/web/config}, {@code /api/web/me},
 * {@code /api/web/land-use-types}). The application itself is {@code frontend/} (OpenLayers, TypeScript, Vite),
 * built by Maven into {@code classpath:static/}.
 */
package vn.landgis.web;
