// The walking skeleton: the SPA served by the API, in French, at desktop and phone widths,
// deep links that survive a reload, and an e-mail that reaches a real SMTP server.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, before, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';
import { iso, addDays } from '../lib/dates.js';

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
    await checkAccessibility(page, `home (${suffix})`);
    await assertNoHorizontalScroll(page, `home (${suffix})`);
    await screenshot(page, `skeleton-home-${suffix}`);
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('while the app downloads, the page already shows the portal and the commune, then the app replaces it', async () => {
  const page = await newPage(browser, { width: 360 });
  // Hold the WebAssembly back until the shell has been seen, as a slow phone link would.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/*_bg.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(portal.baseUrl + '/', { waitUntil: 'domcontentloaded' });
  const shell = page.locator('#chargement');
  await shell.getByText('Portail Famille', { exact: true }).waitFor();
  await shell.getByText("Commune d'Avermes").waitFor();
  await page.getByRole('status').getByText('Chargement du portail…').waitFor();
  const headerColour = await shell.locator('.site-header').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(headerColour, 'rgb(29, 78, 137)', 'the shell is styled by the app\'s own CSS');
  await assertNoHorizontalScroll(page, 'loading shell (360px)');
  await screenshot(page, 'skeleton-loading-shell-360px');
  release();
  await page.getByRole('heading', { level: 1, name: 'Bienvenue sur le Portail Famille' }).waitFor();
  assert.equal(await page.locator('#chargement').count(), 0, 'the shell is gone once the app is mounted');
  assert.equal(await page.locator('header.site-header').count(), 1, 'one header, not two');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('/admin shows the staff login, also at 360 px', async () => {
  for (const [width, suffix] of [[1280, 'desktop'], [360, '360px']]) {
    const page = await newPage(browser, { width });
    await page.goto(portal.baseUrl + '/admin');
    await page.getByRole('heading', { level: 1, name: 'Connexion du personnel' }).waitFor();
    await page.getByLabel('Adresse e-mail').fill('agent@avermes.example');
    await page.getByLabel('Mot de passe').fill('un mot de passe');
    await page.getByRole('button', { name: 'Connexion' }).waitFor();
    await page.getByText('Service opérationnel').waitFor();
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
  await page.goto(portal.baseUrl + '/admin/composants');
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

/** Logs in through the page's form. */
async function logIn(page, path, email, password) {
  await page.goto(portal.baseUrl + path);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Connexion' }).click();
}

test('every page fits a 360 px phone, names itself in the title and takes the focus to its heading', async () => {
  const parent = await newPage(browser, { width: 360, height: 740 });
  await logIn(parent, '/', 'famille.durand@avermes.example', portal.familiesPassword);
  await parent.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
  const titles = new Set();
  for (const [path, heading] of [
    ['/espace', /^Bonjour/], ['/mon-planning', 'Mon planning'], ['/mes-enfants', 'Mes enfants'],
    ['/mes-enfants/nouveau', 'Ajouter un enfant'], ['/mes-documents', 'Mes documents'], ['/mon-foyer', 'Mon foyer'],
    ['/mon-compte', 'Mon compte'], ['/mes-factures', 'Mes factures'], ['/mes-preinscriptions', 'Mes préinscriptions en crèche'],
  ]) {
    await parent.goto(portal.baseUrl + path);
    await parent.getByRole('heading', { level: 1, name: heading }).waitFor();
    await parent.waitForLoadState('networkidle');
    await assertNoHorizontalScroll(parent, `${path} at 360 px`);
    titles.add(await parent.title());
  }
  assert.equal(titles.size, 9, `each page has its own title: ${[...titles].join(' | ')}`);
  // The note's sentence under the pre-registration tile.
  await parent.goto(portal.baseUrl + '/espace');
  await parent.getByText('Pour une inscription à l\'ALJA et/ou à la restauration scolaire, merci de prendre contact avec les services concernés.').waitFor();
  await parent.goto(portal.baseUrl + '/mes-preinscriptions');
  // No dead end: the pre-registration page says whom to call, with a number to tap.
  await parent.getByRole('link', { name: '04 70 45 61 51' }).waitFor();
  assert.equal(await parent.getByRole('link', { name: '04 70 45 61 51' }).getAttribute('href'), 'tel:0470456151');
  // A link followed inside the app: the new page's heading has the focus, for a screen reader.
  await parent.goto(portal.baseUrl + '/espace');
  await parent.getByRole('heading', { level: 1 }).first().waitFor();
  await parent.getByRole('link', { name: /Mes enfants/ }).first().click();
  await parent.getByRole('heading', { level: 1, name: 'Mes enfants' }).waitFor();
  await parent.waitForFunction(() => document.activeElement?.tagName === 'H1');
  assert.match(await parent.title(), /Mes enfants/);
  await parent.context().close();

  const staff = await newPage(browser, { width: 360, height: 740 });
  await logIn(staff, '/admin', portal.adminEmail, portal.adminPassword);
  await staff.waitForURL(/\/admin\/accueil/);
  for (const path of ['/admin/accueil', '/admin/familles', '/admin/planning', '/admin/presences', '/admin/demandes', '/admin/journal', '/admin/reglages', '/admin/tarifs', '/admin/preinscriptions', '/admin/facturation', '/admin/rendez-vous']) {
    await staff.goto(portal.baseUrl + path);
    await staff.getByRole('heading', { level: 1 }).first().waitFor();
    await staff.waitForLoadState('networkidle');
    await assertNoHorizontalScroll(staff, `${path} at 360 px`);
    // A staff table is stacked on a phone: none is wider than the screen, even inside its
    // scrolling frame.
    const wide = await staff.evaluate(() => [...document.querySelectorAll('table.table--stack')]
      .filter((t) => t.getBoundingClientRect().width > document.documentElement.clientWidth).length);
    assert.equal(wide, 0, `${path}: a stacked table wider than 360 px`);
  }
  // « Facturation »'s scrolling tables are reachable with the keyboard (axe's
  // scrollable-region-focusable), at 360 px.
  await staff.goto(portal.baseUrl + '/admin/facturation');
  await staff.getByRole('heading', { level: 1, name: 'Facturation' }).waitFor();
  await staff.waitForLoadState('networkidle');
  await checkAccessibility(staff, 'Facturation at 360 px');
  await staff.goto(portal.baseUrl + '/admin/tarifs');
  await staff.getByRole('heading', { level: 1, name: 'Tarifs' }).waitFor();
  await staff.waitForLoadState('networkidle');
  await screenshot(staff, 'skeleton-staff-tariffs-360px');
  await staff.goto(portal.baseUrl + '/admin/familles');
  await staff.getByRole('link', { name: 'Bernard Julien' }).first().click();
  await staff.getByRole('heading', { level: 1, name: 'Bernard Julien' }).waitFor();
  await staff.waitForLoadState('networkidle');
  await assertNoHorizontalScroll(staff, 'a family file at 360 px');
  await screenshot(staff, 'skeleton-staff-file-360px');
  await staff.context().close();
});

test('the dashboard carries the announcements staff set and says how to reach each service', async () => {
  // Days around the portal's « today » (fixed by the harness), never the machine's date.
  const day = (offset) => iso(addDays(portal.today, offset));
  const staff = await newPage(browser, { width: 1280 });
  await logIn(staff, '/admin', portal.adminEmail, portal.adminPassword);
  await staff.waitForURL(/\/admin\/accueil/);
  await staff.goto(portal.baseUrl + '/admin/reglages');
  const rpe = staff.getByRole('form', { name: 'Contacts : Relais petite enfance (RPE)' });
  await rpe.getByLabel('Téléphone').fill('04 70 00 00 00');
  await rpe.getByRole('button', { name: 'Enregistrer' }).click();
  await rpe.getByText('Contacts enregistrés.').waitFor();
  const form = staff.getByRole('form', { name: 'Ajouter une annonce' });
  await form.getByLabel('Tuile').selectOption({ label: 'Mes factures' });
  await form.getByLabel('Texte').fill('Les factures de novembre arrivent le 10 décembre.');
  await form.getByLabel('Premier jour').fill(day(-1));
  await form.getByLabel('Dernier jour').fill(day(-2));
  await form.getByRole('button', { name: "Enregistrer l'annonce" }).click();
  await form.getByText('Le dernier jour ne peut pas précéder le premier.').waitFor();
  await form.getByLabel('Dernier jour').fill(day(7));
  await form.getByRole('button', { name: "Enregistrer l'annonce" }).click();
  await staff.getByRole('listitem').filter({ hasText: 'Les factures de novembre arrivent le 10 décembre.' }).waitFor();
  await checkAccessibility(staff, 'settings with contacts and announcements');
  await staff.context().close();

  const parent = await newPage(browser, { width: 360, height: 740 });
  await logIn(parent, '/', 'famille.martin@avermes.example', portal.familiesPassword);
  await parent.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
  const planning = parent.getByRole('link', { name: /^Mon planning/ });
  await planning.getByText(/ALJA : ouverture des réservations et inscriptions pour les vacances d'été le lundi 3 mai/).waitFor();
  await planning.getByText(/chaque lundi pour la semaine suivante uniquement/).waitFor();
  await parent.getByRole('link', { name: /^Mes factures/ }).getByText('Les factures de novembre arrivent le 10 décembre.').waitFor();
  const contacts = parent.getByRole('region', { name: 'Contacter les services' });
  for (const service of ['Relais petite enfance (RPE)', 'Affaires scolaires', 'Accueil de loisirs (ALJA)', 'Restauration scolaire']) {
    await contacts.getByText(service, { exact: true }).waitFor();
  }
  assert.equal(await contacts.getByRole('link', { name: '04 70 00 00 00' }).getAttribute('href'), 'tel:0470000000');
  assert.equal(await contacts.getByRole('link', { name: 'rpe@avermes.example' }).getAttribute('href'), 'mailto:rpe@avermes.example');
  await checkAccessibility(parent, 'dashboard with announcements and contacts');
  await assertNoHorizontalScroll(parent, 'dashboard at 360 px');
  await screenshot(parent, 'dashboard-360px');
  await parent.context().close();
});
