// The real parts of a browser journey: `portail serve` on a fresh SQLite database with the demo
// seed, an SMTP server (npm smtp-server) that keeps what it receives, and Debian's Chromium.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { test as nodeTest, before as nodeBefore } from 'node:test';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { clocks, iso, journeyToday } from './dates.js';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The run's seed: every made-up value of a journey (a new account's address…) comes from it.
 * Random unless E2E_SEED is set; printed when a journey fails, so the run can be replayed.
 */
export const SEED = (() => {
  const asked = process.env.E2E_SEED;
  if (asked !== undefined) {
    if (!/^\d{1,9}$/.test(asked)) throw new Error(`E2E_SEED must be a number (got « ${asked} »)`);
    return Number(asked);
  }
  return Math.floor(Math.random() * 1e9);
})();

/** A seeded generator (mulberry32): the same seed, the same values, in the same order. */
const random = (() => {
  let state = SEED >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();

/** A made-up token for unique names (e-mail addresses), from the run's seed. */
export const madeUp = () => Math.floor(random() * 1e12).toString(36);

/**
 * The « today » of journeys that are not about dates: a fixed Monday of a school month,
 * far from holidays (the date-sensitive journeys write their own; E2E_TODAY replaces both).
 */
export const DEFAULT_TODAY = '2027-03-08';

/** The server clocks of the portals this file started, and the browser clocks it set. */
const started = [];
const browserClocks = [];
/** The pages opened by `newPage`: a failing journey leaves a screenshot of each still open. */
const pages = [];

/** What a failure must say to be replayed: every clock, the seed, the command. */
export function replayReport() {
  const paris = (d) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'short' }).format(d);
  const lines = ['--- to replay this failure exactly ---'];
  for (const c of clocks) lines.push(`journey day (${c.name}): ${iso(c.today)} (${c.source})`);
  for (const p of started) lines.push(`server « today » of ${p.baseUrl}: clock started at ${p.clock.toISOString()} = ${paris(p.clock)} (Paris)`);
  for (const b of browserClocks) lines.push(`browser clock: ${b.toISOString()} = ${paris(b)} (Paris)`);
  lines.push(`seed: E2E_SEED=${SEED}${process.env.E2E_TODAY ? ` E2E_TODAY=${process.env.E2E_TODAY}` : ''}`);
  lines.push(`replay: (cd e2e && E2E_SEED=${SEED}${process.env.E2E_TODAY ? ` E2E_TODAY=${process.env.E2E_TODAY}` : ''} PORTAIL_BIN=… node --test ${process.argv[1] ? process.argv[1].replace(/^.*\/e2e\//, '') : 'tests/…'})`);
  return lines.join('\n');
}

/** Runs `fn`; when it fails, the error also says the clocks and the seed (replayReport). */
const replayable = (name, fn) => async (t) => {
  try {
    await fn(t);
  } catch (error) {
    for (const [i, page] of pages.entries()) {
      if (!page.isClosed()) await screenshot(page, `failure-${i + 1}`).catch(() => {});
    }
    const report = `${replayReport()}\nscreenshots of the open pages: e2e/artifacts/failure-*.png`;
    console.error(`\n${name}\n${report}`);
    if (error instanceof Error) error.message = `${error.message}\n${report}`;
    throw error;
  }
};

/** `node:test`'s `test`, whose failure also prints the clocks and the seed. */
export const test = (name, fn) => nodeTest(name, replayable(name, fn));

/** `node:test`'s `before`, whose failure also prints the clocks and the seed. */
export const before = (fn) => nodeBefore(replayable('before the journeys', fn));

export function portailBinary() {
  const bin = process.env.PORTAIL_BIN;
  if (!bin) throw new Error('PORTAIL_BIN must name the portail binary (scripts/test sets it)');
  return bin;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A real SMTP server on loopback; `messages` fills as mail arrives. */
export async function startSmtp() {
  const port = await freePort();
  const messages = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        messages.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, { timeout = 15000 } = {}) {
      const deadline = performance.now() + timeout;
      while (performance.now() < deadline) {
        const found = messages.find((m) => m.to?.text?.includes(to));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no e-mail to ${to} arrived (received: ${messages.map((m) => m.to?.text).join(', ')})`);
    },
    /** The latest e-mail to `to` whose subject starts with `subject`, waiting for it. */
    async latest(to, subject, { timeout = 15000 } = {}) {
      const deadline = performance.now() + timeout;
      while (performance.now() < deadline) {
        const mail = [...messages].reverse().find((m) => m.to?.text?.includes(to) && m.subject.startsWith(subject));
        if (mail) return mail;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no e-mail « ${subject} » to ${to}`);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * `portail serve` on a fresh database, seeded with the demo; resolves when healthy. Its clock
 * starts at `today` (a journey day: lib/dates.js), by default the harness's fixed day: no
 * journey runs on the machine's date.
 */
export async function startPortal({
  smtpUrl, env = {}, today = journeyToday('portal', DEFAULT_TODAY), port: wantedPort, publicUrl, seed = true,
} = {}) {
  const dataDir = env.PORTAIL_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'portail-e2e-'));
  const port = wantedPort ?? await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const fullEnv = {
    ...process.env,
    PORTAIL_DATA_DIR: dataDir,
    PORTAIL_BIND: `127.0.0.1:${port}`,
    PORTAIL_PUBLIC_URL: publicUrl ?? baseUrl,
    PORTAIL_STATIC_DIR: join(ROOT, 'frontend', 'dist'),
    ...(smtpUrl ? { PORTAIL_SMTP_URL: smtpUrl } : {}),
    PORTAIL_TEST_CLOCK: today.toISOString(),
    ...env,
  };
  started.push({ baseUrl, clock: today });
  // A second process on the same database does not seed it again.
  const seedOutput = seed ? execFileSync(portailBinary(), ['seed-demo'], { env: fullEnv, encoding: 'utf8' }) : '';
  const adminPassword = /admin@avermes.example \/ mot de passe : (\S+)/.exec(seedOutput)?.[1];
  const familiesPassword = /avermes.example\) \/ mot de passe : (\S+)/.exec(seedOutput)?.[1];
  const child = spawn(portailBinary(), ['serve'], { env: fullEnv, stdio: ['ignore', 'inherit', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => {
    log += chunk;
    if (process.env.E2E_LOG) process.stderr.write(chunk);
  });
  const deadline = performance.now() + 30000;
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}/api/v1/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`portail serve exited:\n${log}`);
    if (performance.now() > deadline) throw new Error(`portail serve did not become healthy:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    dataDir,
    today,
    env: fullEnv,
    adminEmail: 'admin@avermes.example',
    adminPassword,
    familiesPassword,
    log: () => log,
    /** A JSON call to the API; resolves to `{ status, body }`. */
    async api(path, { method = 'GET', token, body } = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    /**
     * Runs another `portail` command against the same database. Asynchronous on purpose: the
     * SMTP server lives in this process and must keep answering while the command runs.
     */
    run: async (args) => (await promisify(execFile)(portailBinary(), args, { env: fullEnv, encoding: 'utf8' })).stdout,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=fr-FR',
    ],
  });
}

/**
 * A page with a French locale; `width` 360 gives the small-phone viewport. Its clock is fixed
 * at `today` (the first portal's, by default): the browser never reads the machine's date.
 */
export async function newPage(browser, {
  width = 1280, height = 900, today = started[0]?.clock, ignoreHTTPSErrors = false,
} = {}) {
  const context = await browser.newContext({
    ignoreHTTPSErrors,
    viewport: { width, height },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  const page = await context.newPage();
  if (today) {
    await page.clock.setFixedTime(today);
    browserClocks.push(today);
  }
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(new Error(message.text()));
  });
  page.jsErrors = errors;
  pages.push(page);
  return page;
}

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the page's CSP is not
 * loosened for it) and fails on any serious or critical violation.
 */
export async function checkAccessibility(page, label) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const details = blocking
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
      .join('\n');
    throw new Error(`accessibility violations on ${label}:\n${details}`);
  }
  return results;
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The page must not scroll sideways (the 360 px rule). */
export async function assertNoHorizontalScroll(page, label) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  if (scrollWidth > clientWidth) {
    // Name the elements that stick out, to know what to fix.
    const culprits = await page.evaluate((width) => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> ${Math.round(e.getBoundingClientRect().right)}px « ${(e.textContent || '').trim().slice(0, 40)} »`), clientWidth);
    throw new Error(`${label} scrolls sideways: ${scrollWidth}px of content in ${clientWidth}px: ${culprits.join(' ; ')}`);
  }
}
