// The walking skeleton: the SPA served by the API, in French, at desktop and phone widths,
// deep links that survive a reload, and an e-mail that reaches a real SMTP server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';

let smtp;
let portal;
let browser;

before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

test('the home page welcomes parents in French', async () => {
  for (const [width, suffix] of [[1280, 'desktop'], [360, '360px']]) {
    const page = await newPage(browser, { width });
    await page.goto(portal.baseUrl + '/');
    await page.getByRole('heading', { level: 1, name: 'Bienvenue sur le Portail Famille' }).waitFor();
    assert.equal(await page.title(), 'Accueil — Portail Famille');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await page.getByRole('button', { name: 'Connexion', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Créer mon compte' }).waitFor();
    await page.getByText("Commune d'Avermes").waitFor();
    await page.getByText('Multi-accueil « La Souris Verte »').waitFor();
    await page.getByText('Service opérationnel').waitFor();
    await checkAccessibility(page, `home (${suffix})`);
    await assertNoHorizontalScroll(page, `home (${suffix})`);
    await screenshot(page, `skeleton-home-${suffix}`);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('/admin shows the staff login, also at 360 px', async () => {
  for (const [width, suffix] of [[1280, 'desktop'], [360, '360px']]) {
    const page = await newPage(browser, { width });
    await page.goto(portal.baseUrl + '/admin');
    await page.getByRole('heading', { level: 1, name: 'Connexion du personnel' }).waitFor();
    await page.getByLabel('Adresse e-mail').fill('agent@avermes.example');
    await page.getByLabel('Mot de passe').fill('un mot de passe');
    await page.getByRole('button', { name: 'Connexion' }).waitFor();
    await checkAccessibility(page, `admin login (${suffix})`);
    await assertNoHorizontalScroll(page, `admin login (${suffix})`);
    await screenshot(page, `skeleton-admin-${suffix}`);
    await page.context().close();
  }
});

test('a deep link survives a reload', async () => {
  const page = await newPage(browser);
  await page.goto(portal.baseUrl + '/admin/familles/42');
  await page.getByRole('heading', { name: 'Connexion du personnel' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Connexion du personnel' }).waitFor();
  await page.goto(portal.baseUrl + '/une-page-qui-n-existe-pas');
  await page.getByRole('heading', { name: 'Page introuvable' }).waitFor();
  await page.context().close();
});

test('the design system page passes the accessibility checks', async () => {
  const page = await newPage(browser, { width: 360 });
  await page.goto(portal.baseUrl + '/_design');
  await page.getByRole('heading', { name: 'Composants du portail' }).waitFor();
  await page.getByRole('button', { name: 'Suivant →' }).click();
  await checkAccessibility(page, 'design system');
  await assertNoHorizontalScroll(page, 'design system');
  await screenshot(page, 'skeleton-design-system-360px');
  await page.context().close();
});

test('an e-mail sent by the portal reaches the SMTP server', async () => {
  await portal.run(['send-test-email', '--to', 'parent.test@exemple.fr']);
  const mail = await smtp.waitFor('parent.test@exemple.fr');
  assert.equal(mail.subject, 'Portail Famille : e-mail de test');
  assert.match(mail.text, /sait envoyer des messages/);
});
