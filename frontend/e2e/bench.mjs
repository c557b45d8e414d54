// bench/webapp.sh: first load of the map (bytes transferred, JavaScript, time to the first complete map render)
// in a cold headless Chromium, and frames per second while panning. Usage: node e2e/bench.mjs BASE_URL [runs]
import { launch, firstLoad } from './browser.mjs';

const base = process.argv[2] ?? 'http://localhost:8080';
const runs = Number(process.argv[3] ?? 5);
const zoom = Number(process.argv[4] ?? 17);
const browser = await launch();
const rows = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await context.newPage();
  // the demo district's centre at zoom 17 (1:4 000) or the given zoom: parcels, communes, field reports
  await p.goto(`${base}/#z=${zoom}&c=106.413,10.533&l=parcels,communes_2025,field_reports`);
  await p.waitForSelector('#map[data-first-render-ms]', { state: 'attached', timeout: 60000 });
  await p.waitForLoadState('networkidle');
  const r = await firstLoad(p);
  r.panFps = await p.evaluate(() => new Promise((resolve) => {
    const view = window.landgisMap.getView();
    let frames = 0;
    const t0 = performance.now();
    const tick = () => {
      frames++;
      const c = view.getCenter();
      view.setCenter([c[0] + 6 * view.getResolution(), c[1] + 2 * view.getResolution()]);
      if (performance.now() - t0 < 3000) requestAnimationFrame(tick); else resolve(Math.round(frames / ((performance.now() - t0) / 1000) * 10) / 10);
    };
    requestAnimationFrame(tick);
  }));
  rows.push(r);
  await context.close();
}
await browser.close();
console.log(JSON.stringify(rows));
