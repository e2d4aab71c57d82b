// Behind the TLS reverse proxy of docs/operations.md, as it is written there: a self-signed
// certificate made here, nginx (Debian's) in front of two `portail serve` on one PostgreSQL
// database. A parent's journey in Chromium and the API's smoke go through https://; the
// cookies are Secure, HSTS is sent, plain HTTP redirects, an e-mailed link uses the public
// address, and forged X-Forwarded-For headers do not escape the per-address limit.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  test, before, ROOT, freePort, startPortal, startSmtp, launchBrowser, newPage, screenshot, checkAccessibility,
} from '../lib/harness.js';

// Node's fetch trusts the certificate this test makes (for this test's process only).
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

/** The per-address limit of the routes without an account, per instance. */
const LIMIT = 8;

let smtp;
let portals = [];
let nginx;
let browser;
let publicUrl;
let plainUrl;

/** The nginx block of docs/operations.md, between its two marker lines. */
function documentedConfiguration() {
  const doc = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
  const block = /# portail-famille nginx: begin\n([\s\S]*?)# portail-famille nginx: end/.exec(doc)?.[1];
  assert.ok(block, 'docs/operations.md has the nginx configuration between its markers');
  return block;
}

before(async () => {
  const server = process.env.E2E_POSTGRES_URL;
  assert.ok(server, 'E2E_POSTGRES_URL: the PostgreSQL server (scripts/test passes the one scripts/postgres starts)');
  const database = `portail_test_e2e_tls_${process.pid}`;
  execFileSync('psql', [server, '-qc', `CREATE DATABASE ${database}`]);
  const databaseUrl = server.replace(/\/[^/?]*(\?|$)/, `/${database}$1`);

  const dir = mkdtempSync(join(tmpdir(), 'portail-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const [httpsPort, httpPort, first, second] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  publicUrl = `https://localhost:${httpsPort}`;
  plainUrl = `http://localhost:${httpPort}`;

  smtp = await startSmtp();
  const dataDir = join(dir, 'donnees');
  mkdirSync(dataDir);
  const env = {
    PORTAIL_DATABASE_URL: databaseUrl,
    PORTAIL_DATA_DIR: dataDir,
    // nginx reaches the portal from 127.0.0.2 (below): only its entries are believed.
    PORTAIL_TRUSTED_PROXIES: '127.0.0.2',
    PORTAIL_AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT),
  };
  portals.push(await startPortal({ smtpUrl: smtp.url, env, port: first, publicUrl }));
  portals.push(await startPortal({ smtpUrl: smtp.url, env, port: second, publicUrl, seed: false }));

  // The documented configuration with this test's ports, names and certificate. One line is
  // added: nginx connects from 127.0.0.2, so that on one machine the proxy's address is not
  // the client's (127.0.0.1).
  const site = documentedConfiguration()
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${first};`)
    .replace('server 127.0.0.1:8081;', `server 127.0.0.1:${second};`)
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replaceAll('server_name portail.avermes.fr;', 'server_name localhost;')
    .replace(/ssl_certificate \S+;/, `ssl_certificate ${join(dir, 'cert.pem')};`)
    .replace(/ssl_certificate_key \S+;/, `ssl_certificate_key ${join(dir, 'key.pem')};`)
    .replace('proxy_pass http://portail_famille;', 'proxy_pass http://portail_famille;\n        proxy_bind 127.0.0.2;');
  assert.ok(site.includes(`127.0.0.1:${first}`) && site.includes(join(dir, 'key.pem')), site);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`);
  const binary = ['/usr/sbin/nginx', 'nginx'].find((b) => {
    try { execFileSync(b, ['-v'], { stdio: 'ignore' }); return true; } catch { return false; }
  });
  assert.ok(binary, 'nginx is installed (scripts/bootstrap installs nginx-light)');
  execFileSync(binary, ['-t', '-p', dir, '-c', conf], { stdio: 'pipe' });
  nginx = spawn(binary, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${publicUrl}/health/ready`)).ok) break;
    } catch { /* not listening yet */ }
    assert.ok(i < 100, 'nginx answers');
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  nginx?.kill('SIGTERM');
  for (const portal of portals) await portal.stop();
  await smtp?.close();
});

test('the API answers through https, on both processes, with HSTS and Secure cookies', async () => {
  const health = await fetch(`${publicUrl}/health/ready`);
  assert.equal(health.status, 200);
  assert.equal(health.headers.get('strict-transport-security'), 'max-age=31536000');
  const services = await fetch(`${publicUrl}/api/v1/services`);
  assert.equal(services.status, 200);
  assert.ok(JSON.stringify(await services.json()).includes('alja'));

  const login = await fetch(`${publicUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'famille.martin@avermes.example', password: portals[0].familiesPassword, remember_me: true }),
  });
  assert.equal(login.status, 200);
  const cookies = login.headers.getSetCookie();
  assert.ok(cookies.length > 0 && cookies.every((c) => /;\s*Secure/i.test(c)), cookies.join('\n'));
  const { access_token: token } = await login.json();
  // Many reads, spread by nginx over both processes: each one knows the session.
  for (let i = 0; i < 10; i++) {
    const children = await fetch(`${publicUrl}/api/v1/children`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(children.status, 200);
  }
  // Plain HTTP goes to https.
  const plain = await fetch(`${plainUrl}/mon-planning`, { redirect: 'manual' });
  assert.equal(plain.status, 301);
  assert.equal(plain.headers.get('location'), 'https://localhost/mon-planning');
});

test('an e-mailed link uses the public https address', async () => {
  const asked = await fetch(`${publicUrl}/api/v1/auth/password-reset/request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'famille.bernard@avermes.example' }),
  });
  assert.equal(asked.status, 202);
  const mail = await smtp.latest('famille.bernard@avermes.example', '');
  assert.ok(mail.text.includes(`${publicUrl}/`), mail.text);
  assert.ok(!mail.text.includes('http://127.0.0.1'), mail.text);
});

test('a parent logs in and reads the planning through https on a phone', async () => {
  const page = await newPage(browser, { width: 360, height: 780, ignoreHTTPSErrors: true });
  await page.goto(`${publicUrl}/`);
  await page.getByLabel('Adresse e-mail').fill('famille.petit@avermes.example');
  await page.getByLabel('Mot de passe').fill(portals[0].familiesPassword);
  await page.getByRole('button', { name: 'Connexion' }).click();
  await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await page.getByRole('link', { name: /Mon planning/ }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Mon planning' }).waitFor();
  const cookies = await page.context().cookies(publicUrl);
  assert.ok(cookies.length > 0 && cookies.filter((c) => c.httpOnly).every((c) => c.secure), JSON.stringify(cookies));
  // A reload keeps the session (the refresh cookie goes back over https).
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Mon planning' }).waitFor();
  await checkAccessibility(page, 'planning through the TLS proxy');
  await screenshot(page, 'tls-proxy-planning');
  // The footer's legal pages: plain pages the server writes from the commune's settings.
  await page.getByRole('navigation', { name: 'Pages légales' }).getByRole('link', { name: 'Données personnelles' }).click();
  await page.getByRole('heading', { level: 1, name: 'Données personnelles' }).waitFor();
  await page.getByText(/ne s'est pas connectée depuis 3 ans/).waitFor();
  await checkAccessibility(page, 'the privacy page');
  await screenshot(page, 'legal-privacy');
});

// Last: it spends this client's allowance of the routes without an account for a minute.
test('forged X-Forwarded-For headers do not escape the per-address limit behind nginx', async () => {
  let limited = 0;
  let answered = 0;
  for (let i = 0; i < 4 * LIMIT; i++) {
    const response = await fetch(`${publicUrl}/api/v1/auth/password-reset/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
      body: JSON.stringify({ email: `personne.${i}@exemple.fr` }),
    });
    if (response.status === 429) limited += 1;
    else answered += 1;
  }
  // Two processes, each with its own count: at most twice the limit get through.
  assert.ok(limited > 0, 'the forged addresses were counted as one client');
  assert.ok(answered <= 2 * LIMIT, `${answered} requests got through`);
});
