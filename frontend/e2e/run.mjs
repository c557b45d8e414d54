// Browser checks of the web map in headless Debian Chromium (playwright-core, no browser download), driven by
// vn.landgis.web.WebMapBrowserTest with a JSON plan (argv[2]); prints one JSON result line on stdout and saves
// screenshots in plan.out. Every page's console errors and uncaught exceptions are collected.
//   plan: { base, out, chromium, viewer: {lon, lat, zoom}, search: {query, parcelNo}, officer: {user, password},
//           planView: {lon, lat, zoom, planId},
//           planning: {parcelId} | null, report: {lon, lat} | null, ignoreConsole: [url substrings],
//           editor: {user, password, lon, lat, zoom, versionId, dossier, cut: [[lon, lat], [lon, lat]], inside: [[lon, lat], [lon, lat]]} | null,
//           imports: {user, password, district, file} | null }
import { launch, firstLoad } from './browser.mjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
mkdirSync(plan.out, { recursive: true });
const result = { console: {}, timings: {} };
const ignored = (msg) => (plan.ignoreConsole ?? []).some((s) => (msg.url ?? '').includes(s) || msg.text.includes(s));

const browser = await launch(plan.chromium);

async function page(name, contextOptions = {}, expected = () => false) {
  const context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...contextOptions });
  const p = await context.newPage();
  const errors = (result.console[name] = []);
  p.on('console', (m) => {
    if (m.type() !== 'error') return;
    const e = { text: m.text(), url: m.location()?.url };
    if (!ignored(e) && !expected(e)) errors.push(e);
  });
  p.on('pageerror', (e) => errors.push({ text: 'uncaught: ' + e.message }));
  p.setDefaultTimeout(plan.timeoutMs ?? 30000);
  return { p, context };
}

async function rendered(p, selector) {
  await p.waitForLoadState('networkidle');
  await p.waitForSelector(`${selector}[data-rendered]`, { state: 'attached' });
  // settle: the last tiles of the view drawn
  let last = await p.getAttribute(selector, 'data-rendered');
  for (let i = 0; i < 20; i++) {
    await p.waitForTimeout(250);
    const now = await p.getAttribute(selector, 'data-rendered');
    if (now === last) break;
    last = now;
  }
}

async function step(name, f) {
  const t0 = Date.now();
  try {
    await f();
  } catch (e) {
    result[name] = { ...(result[name] ?? {}), error: String(e && e.stack ? e.stack : e) };
  }
  result.timings[name] = Date.now() - t0;
}

// 1. the viewer draws the parcels at a known place; first-load figures
await step('viewer', async () => {
  const { p, context } = await page('viewer', { viewport: { width: 1280, height: 800 } });
  const v = plan.viewer;
  await p.goto(`${plan.base}/#z=${v.zoom}&c=${v.lon},${v.lat}&l=parcels,communes_2025`);
  await rendered(p, '#map');
  const box = await p.locator('#map').boundingBox();
  await p.locator('#map').screenshot({ path: join(plan.out, 'viewer-map.png') });
  await p.screenshot({ path: join(plan.out, 'viewer.png') });
  const perf = await firstLoad(p);
  const hash = await p.evaluate(() => location.hash);
  const mapStatus = await p.evaluate(() => { const e = document.getElementById('map-status'); return { hidden: e.hidden, text: e.textContent }; });
  result.viewer = { mapWidth: box.width, mapHeight: box.height, hash, mapStatus, ...perf };
  // frames while panning with the mouse (a real drag of 600 px in 2 s), counted by requestAnimationFrame
  await p.evaluate(() => { window.__frames = 0; window.__stop = false; const tick = () => { window.__frames++; if (!window.__stop) requestAnimationFrame(tick); }; requestAnimationFrame(tick); });
  const t0 = Date.now();
  await p.mouse.move(900, 500);
  await p.mouse.down();
  for (let i = 1; i <= 60; i++) { await p.mouse.move(900 - i * 10, 500 - i * 3); await p.waitForTimeout(25); }
  await p.mouse.up();
  const panMs = Date.now() - t0;
  const frames = await p.evaluate(() => { window.__stop = true; return window.__frames; });
  result.viewer.panMs = panMs;
  result.viewer.panFps = Math.round((frames / panMs) * 1000 * 10) / 10;
  await rendered(p, '#map');
  result.viewer.hashAfterPan = await p.evaluate(() => location.hash);
  await context.close();
});

// 2. search for a known parcel: its panel with its number and area
await step('search', async () => {
  const { p, context } = await page('search', { viewport: { width: 1280, height: 800 } });
  await p.goto(`${plan.base}/`);
  await rendered(p, '#map');
  // a parcel number alone: the answer says what to add
  await p.fill('#search-q', `thửa ${plan.search.parcelNo}`);
  await p.press('#search-q', 'Enter');
  await p.waitForSelector('#search-results p.note[role=status]');
  const numberAlone = await p.textContent('#search-results p.note[role=status]');
  await p.fill('#search-q', plan.search.query);
  await p.press('#search-q', 'Enter');
  await p.waitForSelector('#search-results .result');
  const results = await p.locator('#search-results .result').allTextContents();
  await p.locator('#search-results .result').first().press('Enter');
  await p.waitForSelector('#parcel-no');
  await p.waitForFunction(() => !document.querySelector('#planning-body[aria-busy]'));
  await rendered(p, '#map');
  result.search = {
    numberAlone,
    results,
    focusedAfterSearch: true,
    title: await p.textContent('#panel-title'),
    parcelNo: await p.textContent('#parcel-no'),
    sheetNo: await p.textContent('#parcel-sheet'),
    area: await p.textContent('#parcel-area'),
    landUse: await p.textContent('#parcel-land-use'),
    hash: await p.evaluate(() => location.hash),
    planningText: await p.textContent('#planning-body'),
  };
  await p.screenshot({ path: join(plan.out, 'search.png') });
  // a land officer signs in: the history (credentials in this tab's sessionStorage only)
  if (plan.officer) {
    await p.fill('#login-user', plan.officer.user);
    await p.fill('#login-password', plan.officer.password);
    await p.press('#login-password', 'Enter');
    await p.waitForSelector('#history-body .history li, #history-body .error');
    result.search.historyVersions = await p.locator('#history-body .history > li').count();
    result.search.historyError = await p.evaluate(() => document.querySelector('#history-body .error')?.textContent ?? null);
    result.search.credentialsStored = await p.evaluate(() => ({ session: !!sessionStorage.getItem('landgis.auth'), local: !!localStorage.getItem('landgis.auth') }));
    // signed in, the panel shows the holders; signed out, they are gone at once (a shared computer)
    result.search.ownersSignedIn = await p.locator('#parcel-owners').count();
    await p.click('#history-body button.link');
    await p.waitForSelector('#login-user');
    result.search.ownersSignedOut = await p.locator('#parcel-owners').count();
  }
  // English switch
  await p.click('#lang');
  result.search.englishTitle = await p.textContent('#panel-title');
  await p.click('#lang');
  await context.close();
});

// 3. investors: the plan's overlay, a zone's indicators by a click, the swipe
if (plan.planView) {
  await step('planView', async () => {
    const { p, context } = await page('planView', { viewport: { width: 1280, height: 800 } });
    const v = plan.planView;
    await p.goto(`${plan.base}/#z=${v.zoom}&c=${v.lon},${v.lat}&l=parcels,communes_2025&mode=planning`);
    await rendered(p, '#map');
    await p.waitForFunction(() => document.querySelectorAll('#plan-select option').length > 1);
    const options = await p.locator('#plan-select option').evaluateAll((o) => o.map((x) => ({ value: x.value, text: x.textContent })));
    await p.selectOption('#plan-select', String(v.planId));
    await rendered(p, '#map');
    const box = await p.locator('#map').boundingBox();
    await p.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await p.waitForSelector('#zone-facts');
    result.planView = {
      options,
      title: await p.textContent('#panel-title'),
      facts: await p.locator('#zone-facts dd').allTextContents(),
      hash: await p.evaluate(() => location.hash),
    };
    await p.click('#panel-close');
    // an area drawn around the map's centre: its planning in the panel (the zone under the centre among its rows)
    await p.click('#draw-area');
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    for (const [dx, dy] of [[-50, -35], [50, -35], [50, 35]]) await p.mouse.click(cx + dx, cy + dy);
    await p.mouse.dblclick(cx - 50, cy + 35);
    await p.waitForSelector('#area-facts');
    result.planView.area = {
      title: await p.textContent('#panel-title'),
      facts: await p.locator('#area-facts dd').allTextContents(),
      zones: await p.locator('#planning-body .zone-row td:nth-child(2)').allTextContents(),
      drawing: await p.getAttribute('#draw-area', 'aria-pressed'),
    };
    await p.click('#panel-close');
    await p.check('#swipe-on');
    await p.fill('#swipe', '50');
    await rendered(p, '#map');
    await p.locator('#map').screenshot({ path: join(plan.out, 'planning-swipe.png') });
    await context.close();
  });
}

// 4. the planning panel shows the overlay rows of the API (when the API exists)
if (plan.planning) {
  await step('planning', async () => {
    const { p, context } = await page('planning', { viewport: { width: 1280, height: 800 } });
    await p.goto(`${plan.base}/#p=${plan.planning.parcelId}`);
    await p.waitForSelector('#planning-body .zone-row, #planning-body .note, #planning-body .error');
    result.planning = {
      zones: await p.locator('#planning-body .zone-row').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim()))),
      plans: await p.locator('#planning-body .plan h4').allTextContents(),
      pdf: await p.evaluate(() => document.querySelector('#planning-pdf')?.getAttribute('href') ?? null),
      chart: await p.evaluate(() => document.querySelector('#planning-body svg.share-chart')?.getAttribute('aria-label') ?? null),
    };
    // the link had a parcel and no view: the map went to the parcel
    await p.waitForFunction(() => /[#&]c=/.test(location.hash) && Number(new URLSearchParams(location.hash.slice(1)).get('z')) >= 16);
    result.planning.hash = await p.evaluate(() => location.hash);
    await rendered(p, '#map');
    await p.screenshot({ path: join(plan.out, 'planning.png') });
    await context.close();
  });
}

// 5. a report from a phone: located, categorised, described, with a photo
if (plan.report) {
  await step('report', async () => {
    const { p, context } = await page('report', {
      viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      geolocation: { latitude: plan.report.lat, longitude: plan.report.lon, accuracy: 12 }, permissions: ['geolocation'],
    });
    await p.goto(`${plan.base}/report`);
    await p.waitForFunction(() => document.querySelectorAll('#service_code option').length > 1);
    await p.click('#locate');
    await p.waitForSelector('#report-map[data-pin]');
    const options = await p.locator('#service_code option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    await p.selectOption('#service_code', options[0]);
    await p.fill('#description', 'Lấn chiếm vỉa hè trước nhà số 12 (kiểm thử tự động)');
    // a 1x1 PNG
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await p.setInputFiles('#media', { name: 'anh.png', mimeType: 'image/png', buffer: png });
    await rendered(p, '#report-map');
    await p.screenshot({ path: join(plan.out, 'report-form.png'), fullPage: true });
    await p.click('#submit');
    await p.waitForSelector('#ticket-number');
    result.report = {
      serviceCode: options[0],
      pin: await p.getAttribute('#report-map', 'data-pin'),
      ticket: await p.getAttribute('#ticket-number', 'data-ticket'),
      status: await p.getAttribute('#ticket-status', 'data-status'),
      scrollWidth: await p.evaluate(() => document.documentElement.scrollWidth),
      notice: await p.locator('#ticket-notice').textContent(),
    };
    await p.screenshot({ path: join(plan.out, 'report-ticket.png'), fullPage: true });
    // another report starts without the last one's pin
    await p.click('#ticket button.secondary');
    result.report.pinAfterAnother = await p.getAttribute('#report-map', 'data-pin');
    await context.close();
    // the report's dot on the web map opens the report, not the parcel under it
    const viewer = await page('report-dot', { viewport: { width: 1200, height: 800 } });
    await viewer.p.goto(`${plan.base}/#z=19&c=${plan.report.lon},${plan.report.lat}`);
    await rendered(viewer.p, '#map');
    const box = await viewer.p.locator('#map').boundingBox();
    await viewer.p.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await viewer.p.waitForSelector('#report-facts, #parcel-no');
    result.report.dotOpens = await viewer.p.evaluate(() => (document.querySelector('#report-facts') ? 'report' : 'parcel'));
    result.report.dotTitle = await viewer.p.textContent('#panel-title');
    await viewer.context.close();
  });
} else {
  // the page still loads on a phone; its categories may be missing (no Open311 yet): no check of the console
  await step('reportPage', async () => {
    const { p, context } = await page('reportPage', { viewport: { width: 360, height: 740 } });
    await p.goto(`${plan.base}/report`);
    await p.waitForSelector('#services-status .error, #service_code option', { state: 'attached' });
    result.reportPage = { scrollWidth: await p.evaluate(() => document.documentElement.scrollWidth), title: await p.title() };
    await p.screenshot({ path: join(plan.out, 'report-form.png'), fullPage: true });
    await context.close();
  });
}


// 6. the officers' editor: anonymous -> sign-in only; an officer selects a parcel, a cut that does not cross it
//    shows the broken rule on the map and in the list, a drawn line across it splits it; the history shows the split
if (plan.editor) {
  await step('editor', async () => {
    const ed = plan.editor;
    // the rejected cut's 422 and the conflict's 409 are answers the page shows, not errors of the page
    const { p, context } = await page('editor', { viewport: { width: 1280, height: 800 } },
      (e) => ((e.url ?? '').includes('/api/edits/split') && e.text.includes('status of 422'))
        || ((e.url ?? '').includes('/api/edits/attributes') && e.text.includes('status of 409')));
    const tileUrls = [];
    p.on('request', (r) => { if (r.url().includes('/tiles/parcels/')) tileUrls.push(r.url()); });
    await p.goto(`${plan.base}/editor#z=${ed.zoom}&c=${ed.lon},${ed.lat}`);
    await p.waitForSelector('#signin-form');
    const visible = (sel) => p.evaluate((s) => { const e = document.querySelector(s); return !!e && !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length); }, sel);
    result.editor = {
      anonymous: { signin: await visible('#signin-form'), workspace: await visible('#workspace'), tools: await visible('#tool-split'), map: await visible('#map') },
    };
    await p.screenshot({ path: join(plan.out, 'editor-signin.png') });
    // sign in with the keyboard
    await p.fill('#login-user', ed.user);
    await p.fill('#login-password', ed.password);
    await p.press('#login-password', 'Enter');
    await p.waitForSelector('#workspace:not([hidden])');
    await rendered(p, '#map');
    result.editor.signedIn = { tools: await visible('#tool-split'), logout: await p.textContent('#logout') };
    // screen pixels of a lon/lat, from the map itself
    const box = await p.locator('#map').boundingBox();
    const px = (ll) => p.evaluate(([lon, lat]) => {
      const r = 6378137;
      const c = [r * lon * Math.PI / 180, r * Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360))];
      return window.landgisMap.getPixelFromCoordinate(c);
    }, ll).then(([x, y]) => [box.x + x, box.y + y]);
    const [cx, cy] = await px([ed.lon, ed.lat]);
    await p.mouse.click(cx, cy);
    await p.waitForSelector(`#selection li[data-version-id="${ed.versionId}"]`);
    await p.waitForSelector('#timeline li');
    result.editor.selected = await p.getAttribute('#selection', 'data-versions');
    await p.fill('#dossier', ed.dossier);
    await p.fill('#decision', 'QĐ 99/QĐ-UBND (kiểm thử)');
    // a cut inside the parcel: the rule broken, where, and nothing saved
    await p.click('#tool-split');
    const draw = async (line) => {
      await p.fill('#split-line', '');
      const [a, b] = [await px(line[0]), await px(line[1])];
      await p.mouse.click(a[0], a[1]);
      await p.waitForTimeout(80);
      await p.mouse.click(b[0], b[1]);
      await p.waitForTimeout(80);
      await p.mouse.click(b[0], b[1]);
      await p.waitForFunction(() => document.querySelector('#split-line').value.includes(';'));
    };
    await draw(ed.inside);
    await p.click('#split-save');
    await p.waitForSelector('#rules li, #result .error');
    result.editor.rules = await p.locator('#rules li').evaluateAll((l) => l.map((x) => x.dataset.rule));
    result.editor.rulesStatus = await p.getAttribute('#result', 'data-status');
    result.editor.ruleMarkers = await p.evaluate(() => window.landgisMap.getLayers().getArray()
      .reduce((n, l) => n + (l.getSource?.()?.getFeatures?.()?.filter((f) => f.get('n') !== undefined).length ?? 0), 0));
    await rendered(p, '#map');
    await p.screenshot({ path: join(plan.out, 'editor-rules.png') });
    const zoomBefore = await p.evaluate(() => window.landgisMap.getView().getZoom());
    if (result.editor.rules.length) {
      await p.locator('#rules .rule-zoom').first().click();
      await p.waitForTimeout(500);
    }
    result.editor.zoomToRule = { before: zoomBefore, after: await p.evaluate(() => window.landgisMap.getView().getZoom()) };
    // back to the parcel, and the real cut across it
    await p.evaluate(([lon, lat, z]) => {
      const r = 6378137;
      window.landgisMap.getView().setCenter([r * lon * Math.PI / 180, r * Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360))]);
      window.landgisMap.getView().setZoom(z);
    }, [ed.lon, ed.lat, ed.zoom]);
    await rendered(p, '#map');
    await draw(ed.cut);
    result.editor.line = await p.inputValue('#split-line');
    const tilesBefore = tileUrls.length;
    await p.click('#split-save');
    await p.waitForSelector('#result[data-change-id], #result .error, #rules li');
    result.editor.split = {
      status: await p.getAttribute('#result', 'data-status'),
      changeId: await p.getAttribute('#result', 'data-change-id'),
      message: await p.textContent('#result'),
      opened: await p.locator('#result .opened li').evaluateAll((l) => l.map((x) => ({ parcelId: Number(x.dataset.parcelId), versionId: Number(x.dataset.versionId), text: x.textContent }))),
    };
    await p.waitForFunction(() => document.querySelector('#map').dataset.tileGeneration === '1');
    await p.waitForSelector('#timeline li [data-kind="split"]');
    await rendered(p, '#map');
    result.editor.refetchedTiles = tileUrls.slice(tilesBefore).filter((u) => u.includes('v=1')).length;
    result.editor.selectedAfter = await p.getAttribute('#selection', 'data-versions');
    result.editor.timeline = await p.locator('#timeline > li').evaluateAll((l) => l.map((x) => ({ versionId: Number(x.dataset.versionId), kinds: [...x.querySelectorAll('[data-kind]')].map((k) => k.dataset.kind) })));
    await p.screenshot({ path: join(plan.out, 'editor-split.png') });
    // the two new parcels are selected: merge them back
    await p.click('#tool-merge');
    await p.click('#merge-save');
    await p.waitForFunction((old) => { const r = document.querySelector('#result'); return r.dataset.changeId !== old && !r.hasAttribute('aria-busy') || r.querySelector('.error'); },
      result.editor.split.changeId);
    result.editor.merge = {
      status: await p.getAttribute('#result', 'data-status'),
      changeId: await p.getAttribute('#result', 'data-change-id'),
      message: await p.textContent('#result'),
      opened: await p.locator('#result .opened li').evaluateAll((l) => l.map((x) => Number(x.dataset.versionId))),
    };
    // the merged parcel selected (the page fetched it after the answer)
    if (result.editor.merge.opened.length) await p.waitForSelector(`#selection li[data-version-id="${result.editor.merge.opened[0]}"]`);
    // and undo the dossier's last change (the merge): the two parcels again, as a new change
    // the page asks first (undoing reverts every edit of the dossier): the officer accepts
    let asked = '';
    p.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await p.click('#tool-undo');
    await p.waitForFunction((old) => { const r = document.querySelector('#result'); return r.dataset.changeId !== old && !r.hasAttribute('aria-busy') || r.querySelector('.error'); },
      result.editor.merge.changeId);
    result.editor.undo = {
      status: await p.getAttribute('#result', 'data-status'),
      changeId: await p.getAttribute('#result', 'data-change-id'),
      message: await p.textContent('#result'),
      opened: await p.locator('#result .opened li').evaluateAll((l) => l.map((x) => Number(x.dataset.versionId))),
      asked,
    };
    // the map as of yesterday: tiles and look-ups of that date, the parent again under the click, no tools
    const yesterday = await p.evaluate(() => new Date(Date.now() - 86400000).toLocaleDateString('sv-SE'));
    const tilesBeforeAsOf = tileUrls.length;
    await p.fill('#as-of', yesterday);
    await p.waitForFunction(() => document.body.classList.contains('past'));
    // the new parcels did not exist yesterday: the selection empties
    await p.waitForFunction(() => document.querySelector('#selection').dataset.versions === '');
    await rendered(p, '#map');
    await p.mouse.click(cx, cy);
    await p.waitForFunction(() => document.querySelector('#selection').dataset.versions !== '');
    result.editor.asOf = {
      date: yesterday,
      selected: await p.getAttribute('#selection', 'data-versions'),
      splitDisabled: await p.isDisabled('#tool-split'),
      tiles: tileUrls.slice(tilesBeforeAsOf).filter((u) => u.includes('asOf=' + yesterday)).length,
    };
    await p.click('#as-of-now');
    // a shared boundary: the parcel and its neighbour (shift-click), the middle of their common edge dragged into
    // the first one; Modify moves it in both, the API takes both geometries
    if (ed.boundary) {
      const b = ed.boundary;
      await p.evaluate(([lon, lat]) => {
        const r = 6378137;
        window.landgisMap.getView().setCenter([r * lon * Math.PI / 180, r * Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360))]);
      }, b.mid);
      await rendered(p, '#map');
      await p.waitForFunction(() => document.querySelector('#selection').dataset.versions === '' || !document.body.classList.contains('past'));
      const a = await px(b.a);
      await p.mouse.click(a[0], a[1]);
      await p.waitForSelector(`#selection li[data-version-id="${b.aVersion}"]`);
      const n = await px(b.b);
      await p.keyboard.down('Shift');
      await p.mouse.click(n[0], n[1]);
      await p.keyboard.up('Shift');
      await p.waitForSelector(`#selection li[data-version-id="${b.bVersion}"]`);
      await p.click('#tool-boundary');
      await p.waitForFunction(() => Number(document.querySelector('#map').dataset.neighbours ?? 0) > 0).catch(() => undefined);
      const [m0, m1] = [await px(b.mid), await px(b.moved)];
      await p.mouse.move(m0[0], m0[1]);
      await p.mouse.down();
      for (let i = 1; i <= 8; i++) await p.mouse.move(m0[0] + ((m1[0] - m0[0]) * i) / 8, m0[1] + ((m1[1] - m0[1]) * i) / 8);
      await p.mouse.up();
      await p.waitForTimeout(100);
      await p.screenshot({ path: join(plan.out, 'editor-boundary.png') });
      await p.click('#boundary-save');
      await p.waitForSelector('#result[data-status]:not([aria-busy])');
      await p.waitForFunction(() => !document.querySelector('#result').hasAttribute('aria-busy'));
      result.editor.boundary = {
        selected: `${b.aVersion},${b.bVersion}`,
        neighbours: Number(await p.getAttribute('#map', 'data-neighbours')),
        status: await p.getAttribute('#result', 'data-status'),
        changeId: await p.getAttribute('#result', 'data-change-id'),
        message: await p.textContent('#result'),
      };
      // a conflict: the neighbour is selected, someone else changes it meanwhile, this page's save gets 409 with
      // the current state; the reload selects the current version
      const n2 = await px(b.b);
      await p.mouse.click(n2[0], n2[1]);
      await p.waitForFunction((old) => { const v = document.querySelector('#selection').dataset.versions; return v && v !== old && !v.includes(','); },
        String(b.bVersion));
      const stale = Number(await p.getAttribute('#selection', 'data-versions'));
      const other = await p.request.post(`${plan.base}/api/edits/attributes`, {
        headers: { Authorization: 'Basic ' + Buffer.from(`${ed.user}:${ed.password}`).toString('base64') },
        data: { dossier: 'HS-E2E-OTHER', versionId: stale, address: 'Đường số 9 (người khác sửa)' },
      });
      await p.click('#tool-attributes');
      await p.fill('#attr-address', 'Đường số 10 (kiểm thử)');
      await p.click('#attr-save');
      await p.waitForSelector('#conflict li, #result .error');
      result.editor.conflict = {
        stale, otherStatus: other.status(), otherAnswer: await other.json(),
        status: await p.getAttribute('#result', 'data-status'),
        text: await p.textContent('#conflict'),
      };
      await p.click('#conflict-reload');
      await p.waitForFunction((old) => { const v = document.querySelector('#selection').dataset.versions; return v && v !== String(old); }, stale);
      result.editor.conflict.reloaded = await p.getAttribute('#selection', 'data-versions');
      // a second purpose for the reloaded parcel (ONT+CLN), typed in lower case
      await p.click('#tool-attributes');
      const main = await p.inputValue('#attr-land-use');
      const second = main === 'CLN' ? 'ONT' : 'CLN';
      const changeBefore = await p.getAttribute('#result', 'data-change-id');
      await p.fill('#attr-other-land-uses', second.toLowerCase());
      await p.click('#attr-save');
      await p.waitForFunction((old) => { const r = document.querySelector('#result');
        return r.dataset.changeId && r.dataset.changeId !== old && !r.hasAttribute('aria-busy'); }, changeBefore);
      result.editor.otherLandUses = { main, other: second, status: await p.getAttribute('#result', 'data-status'),
        changeId: await p.getAttribute('#result', 'data-change-id') };
    }
    // English
    await p.click('#lang');
    result.editor.englishTools = await p.textContent('#tool-split');
    await p.click('#lang');
    await context.close();
  });
}

// 7. the officers' import page: anonymous -> sign-in only; an officer uploads a generated district's GeoPackage as a
// dry run and follows the batch to its end
if (plan.imports) {
  await step('imports', async () => {
    const im = plan.imports;
    const { p, context } = await page('imports', { viewport: { width: 1000, height: 900 } });
    await p.goto(`${plan.base}/imports`);
    await p.waitForSelector('#signin', { state: 'visible' });
    result.imports = { anonymous: { signin: await p.isVisible('#signin'), workspace: await p.isVisible('#workspace') } };
    await p.fill('#login-user', im.user);
    await p.fill('#login-password', im.password);
    await p.click('#signin-form button[type=submit]');
    await p.waitForSelector('#workspace', { state: 'visible' });
    await p.fill('#district', im.district);
    await p.setInputFiles('#file', im.file);
    // a reading option instead of a manifest file: the CRS the delivery declares anyway
    await p.click('#options summary');
    await p.selectOption('#opt-srid', '9209');
    await p.check('#opt-holders');
    // a FAMIS level that cannot be: said on the page, its field focused, nothing sent
    await p.fill('#opt-boundary-levels', '10, 99');
    await p.click('#import-submit');
    await p.waitForSelector('#import-status .error', { state: 'visible' });
    result.imports.levelsError = await p.textContent('#import-status .error');
    result.imports.levelsFocused = await p.evaluate(() => document.activeElement?.id);
    await p.fill('#opt-boundary-levels', '10');
    await p.fill('#opt-label-levels', 'NHAN THUA');
    await p.click('#import-submit');
    await p.waitForFunction(() => ['validated', 'published', 'rejected', 'failed'].includes(document.getElementById('job')?.dataset.status ?? ''),
      null, { timeout: 120000 });
    result.imports.status = await p.getAttribute('#job', 'data-status');
    result.imports.line = await p.textContent('#job-line');
    result.imports.progress = await p.evaluate(() => document.getElementById('job-progress').value);
    result.imports.rules = await p.locator('#job-findings tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.rule));
    result.imports.exampleVi = await p.locator('#job-findings tbody tr td.example').first().textContent();
    result.imports.report = await p.isVisible('#job-report');
    await p.waitForSelector('#job-map[data-findings]', { state: 'attached' });
    result.imports.mapFindings = Number(await p.getAttribute('#job-map', 'data-findings'));
    if (result.imports.mapFindings > 0) await rendered(p, '#job-map');
    result.imports.mapVisible = await p.isVisible('#job-map');
    // a rule's row takes the map to its points and says its first finding under the map
    if (await p.locator('#job-findings button.to-map').count()) {
      const button = p.locator('#job-findings button.to-map').first();
      result.imports.toMapRule = await button.getAttribute('data-rule');
      await button.click();
      await p.waitForSelector('#job-finding p[data-rule]');
      result.imports.toMapShown = await p.getAttribute('#job-finding p[data-rule]', 'data-rule');
    }
    await p.screenshot({ path: join(plan.out, 'imports.png'), fullPage: true });
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.click('#lang');
    result.imports.english = await p.textContent('#job-line');
    result.imports.exampleEn = await p.locator('#job-findings tbody tr td.example').first().textContent();
    await context.close();
  });
}

await browser.close();
writeFileSync(join(plan.out, 'result.json'), JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
