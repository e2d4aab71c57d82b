// Issue 14, two journeys on one portal:
// 1. « Intégrations »: an administrator creates an API key (its secret shown once, then never
//    again), the key works, the administrator revokes it, and it is refused at once.
// 2. « Mon calendrier »: a parent turns on the calendar feed; the page shows its address, which
//    serves the children's bookings as iCalendar.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, before, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';

const PARENT = 'famille.durand@avermes.example';

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

async function logIn(page, path, email, password) {
  await page.goto(portal.baseUrl + path);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Connexion' }).click();
}

test('an administrator creates an API key, shown once, that works until it is revoked', async () => {
  const staff = await newPage(browser, { width: 360, height: 740 });
  await logIn(staff, '/admin', portal.adminEmail, portal.adminPassword);
  await staff.waitForURL(/\/admin\/accueil/);
  await staff.getByRole('link', { name: /Intégrations/ }).click();
  await staff.getByRole('heading', { level: 1, name: 'Intégrations' }).waitFor();
  await staff.getByText('Aucune clé pour l\'instant.').waitFor();

  // Refused next to the fields: no name, no permission.
  await staff.getByRole('button', { name: 'Créer la clé' }).click();
  await staff.getByText('Donnez un nom à la clé.').waitFor();
  await staff.getByText('Choisissez au moins une permission pour la clé.').waitFor();

  await staff.getByRole('textbox', { name: /^Nom/ }).fill('Logiciel de comptabilité');
  await staff.getByRole('checkbox', { name: /Lire les factures/ }).check();
  await staff.getByRole('button', { name: 'Créer la clé' }).click();
  await staff.getByText(/Copiez-la maintenant : elle ne sera plus jamais affichée/).waitFor();
  const secret = await staff.getByLabel('La clé', { exact: true }).inputValue();
  assert.match(secret, /^pf_live_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
  await assertNoHorizontalScroll(staff, 'the integrations page at 360 px');
  await checkAccessibility(staff, 'Intégrations, a key just created');
  await screenshot(staff, 'integrations-key-created-360');

  // The key reads invoices, and nothing else.
  const invoices = await fetch(`${portal.baseUrl}/api/v1/staff/invoices`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(invoices.status, 200);
  const families = await fetch(`${portal.baseUrl}/api/v1/staff/families`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(families.status, 403);
  assert.equal((await families.json()).code, 'missing_scope');

  // Once acknowledged, the secret is nowhere on the page, even after a reload.
  await staff.getByRole('button', { name: 'J\'ai copié la clé' }).click();
  await staff.reload();
  await staff.getByText('Logiciel de comptabilité', { exact: true }).waitFor();
  assert.equal(await staff.getByText(secret.slice(20)).count(), 0);
  assert.equal(await staff.locator(`input[value="${secret}"]`).count(), 0);
  await staff.getByText(/Dernière utilisation/).waitFor();

  await staff.getByRole('button', { name: 'Révoquer la clé «\u00a0Logiciel de comptabilité\u00a0»' }).click();
  await staff.getByRole('dialog').getByRole('button', { name: 'Révoquer la clé' }).click();
  await staff.getByText('Révoquée', { exact: true }).waitFor();
  await screenshot(staff, 'integrations-key-revoked-360');
  const after = await fetch(`${portal.baseUrl}/api/v1/staff/invoices`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(after.status, 401);
  await staff.context().close();
});

test('a parent turns on the calendar feed and the page shows its address', async () => {
  const parent = await newPage(browser, { width: 360, height: 740 });
  await logIn(parent, '/', PARENT, portal.familiesPassword);
  await parent.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
  await parent.goto(portal.baseUrl + '/mon-planning');
  await parent.getByRole('heading', { level: 1, name: 'Mon planning' }).waitFor();
  await parent.getByRole('link', { name: 'Mes réservations dans l\'agenda de mon téléphone' }).click();
  await parent.getByRole('heading', { level: 1, name: 'Mon calendrier' }).waitFor();
  await parent.getByText('Votre calendrier n\'est pas activé.').waitFor();
  await parent.getByRole('button', { name: 'Activer mon calendrier' }).click();
  await parent.getByText('Votre calendrier est activé.').waitFor();
  const address = await parent.getByLabel('Adresse à ajouter à votre agenda').inputValue();
  assert.match(address, /\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  assert.match(await parent.getByRole('link', { name: 'Ajouter à mon agenda' }).getAttribute('href'), /^webcal:\/\//);
  // « Copier » puts the address on the clipboard (a phone cannot easily select it).
  await parent.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.baseUrl });
  await parent.getByRole('button', { name: 'Copier' }).click();
  await parent.getByText('Copié.').waitFor();
  assert.equal(await parent.evaluate(() => navigator.clipboard.readText()), address);
  await assertNoHorizontalScroll(parent, 'Mon calendrier at 360 px');
  await checkAccessibility(parent, 'Mon calendrier');
  await screenshot(parent, 'calendar-feed-on-360');

  const feed = await fetch(address.replace(/^https?:\/\/[^/]+/, portal.baseUrl));
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('content-type'), /^text\/calendar/);
  assert.match(await feed.text(), /^BEGIN:VCALENDAR\r\n/);

  // A new address: the old one stops.
  await parent.getByRole('button', { name: 'Changer l\'adresse' }).click();
  await parent.getByText(/nouvelle adresse/).waitFor();
  const renewed = await parent.getByLabel('Adresse à ajouter à votre agenda').inputValue();
  assert.notEqual(renewed, address);
  const old = await fetch(address.replace(/^https?:\/\/[^/]+/, portal.baseUrl));
  assert.equal(old.status, 404);
  await parent.context().close();
});
