// Shared by the browser test (run.mjs) and the benchmark (bench.mjs): headless Debian Chromium without any
// download or background traffic, and the first-load figures of a page of the map.
import { chromium } from 'playwright-core';

export function launch(executablePath = '/usr/bin/chromium') {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
  });
}

/** Bytes of the first load (all, JavaScript, tiles; transferred and decoded), requests, first complete map. */
export function firstLoad(page) {
  return page.evaluate(() => {
    const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
    const sum = (f, k) => entries.filter(f).reduce((a, e) => a + (e[k] || 0), 0);
    const js = (e) => e.name.endsWith('.js');
    const tiles = (e) => e.name.includes('/tiles/');
    return { firstRenderMs: Number(document.getElementById('map').dataset.firstRenderMs), transferBytes: sum(() => true, 'transferSize'),
      jsTransferBytes: sum(js, 'transferSize'), jsBytes: sum(js, 'decodedBodySize'), tileTransferBytes: sum(tiles, 'transferSize'),
      tiles: entries.filter(tiles).length, requests: entries.length };
  });
}
