// First load of the parents' home page on throttled links, as a phone would see it: bytes on
// the wire, first paint (the loading shell) and the moment the app has mounted (the home page's
// heading). Chromium throttled through the DevTools protocol, fresh cache for every load.
// Usage (after scripts/build-frontend and a debug build of portail):
//   cd e2e && PORTAIL_BIN=…/debug/portail node bench/first-load.js [dist folder] [runs]
// Figures: BENCHMARKS.md « First load ».
import { startPortal, launchBrowser } from '../lib/harness.js';
import { resolve } from 'node:path';

const dist = process.argv[2] ? resolve(process.argv[2]) : undefined;
const runs = Number(process.argv[3] || 3);
const links = [
  { name: '1.6 Mbit/s, 150 ms', down: 1.6e6 / 8, up: 750e3 / 8, latency: 150 },
  { name: '400 kbit/s, 400 ms (slow 3G-like)', down: 400e3 / 8, up: 400e3 / 8, latency: 400 },
];

const portal = await startPortal({ env: dist ? { PORTAIL_STATIC_DIR: dist } : {} });
const browser = await launchBrowser();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const link of links) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      // HTTPS browsers ask for brotli; Chromium does not over plain http: ask as they do.
      const context = await browser.newContext({ extraHTTPHeaders: { 'Accept-Encoding': 'gzip, deflate, br' } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: link.latency, downloadThroughput: link.down, uploadThroughput: link.up,
      });
      await page.goto(portal.baseUrl + '/', { waitUntil: 'commit' });
      await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('Bienvenue'), null, { timeout: 120000 });
      samples.push(await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const resources = performance.getEntriesByType('resource');
        const bytes = nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0);
        const wasm = resources.find((r) => r.name.endsWith('.wasm'));
        return { bytes, firstPaint: paint?.startTime ?? NaN, appReady: performance.now(), wasmBytes: wasm?.transferSize ?? 0 };
      }));
      await context.close();
    }
    const pick = (key) => median(samples.map((s) => s[key]));
    console.log(
      `${link.name.padEnd(34)} transferred ${(pick('bytes') / 1000).toFixed(0)} kB (wasm ${(pick('wasmBytes') / 1000).toFixed(0)} kB)` +
      ` · first paint ${(pick('firstPaint') / 1000).toFixed(2)} s · app ready ${(pick('appReady') / 1000).toFixed(2)} s (median of ${runs})`,
    );
  }
} finally {
  await browser.close();
  await portal.stop();
}
