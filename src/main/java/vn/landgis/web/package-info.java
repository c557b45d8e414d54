/**
 * The web map's server side: the single-page application's entry points ({@code /}, {@code /report}) and its
 * run-time configuration ({@code /api/web/config}). The application itself is {@code frontend/} (OpenLayers,
 * TypeScript, Vite), built by Maven into {@code classpath:static/}.
 */
package vn.landgis.web;
