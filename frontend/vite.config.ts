import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Four pages: the map (/, index.html), the phone-first report form (/report, report.html), the officers'
// editor (/editor, editor.html) and their imports (/imports, imports.html). Maven passes
// --outDir target/classes/static; `npm run dev` proxies the API to a service on :8080.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: { index: resolve(__dirname, 'index.html'), report: resolve(__dirname, 'report.html'), editor: resolve(__dirname, 'editor.html'),
        imports: resolve(__dirname, 'imports.html') },
    },
  },
  server: {
    proxy: Object.fromEntries(['/api', '/tiles', '/ows', '/open311', '/wmts'].map((p) => [p, 'http://localhost:8080'])),
  },
});
