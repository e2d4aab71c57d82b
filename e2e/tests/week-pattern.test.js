// « Réserver chaque semaine » on a phone (360 px): a validated parent sets Léa's canteen week
// (Monday, Tuesday, Thursday, Friday) for two months, reads the preview (each refused date
// with its reason), sends it, and the summary matches what the API then lists.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, before, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';
import { iso, addDays, isMonday, inDemoSchoolYear, journeyToday } from '../lib/dates.js';

const PARENT = 'famille.durand@avermes.example';
// A Monday of the school year with two more months of it ahead: 8 March 2027 by default.
const monday = journeyToday('a typical week', '2027-03-08', (d) => isMonday(d) && inDemoSchoolYear(d) && inDemoSchoolYear(addDays(d, 60)));

let smtp;
let portal;
let browser;

before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url, today: monday });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

test('a parent books the canteen every Monday, Tuesday, Thursday and Friday for two months from a phone', async () => {
  const parent = await newPage(browser, { width: 360, height: 740, today: monday });
  await parent.goto(`${portal.baseUrl}/`);
  await parent.getByLabel('Adresse e-mail').fill(PARENT);
  await parent.getByLabel('Mot de passe').fill(portal.familiesPassword);
  await parent.getByRole('button', { name: 'Connexion' }).click();
  await parent.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
  await parent.goto(`${portal.baseUrl}/mon-planning`);
  await parent.getByRole('link', { name: 'Réserver chaque semaine' }).click();
  await parent.getByRole('heading', { level: 1, name: 'Réserver chaque semaine' }).waitFor();

  await parent.getByLabel('Pour quel enfant ?').selectOption({ label: 'Léa' });
  await parent.getByLabel('Service', { exact: true }).selectOption('restauration');
  for (const day of ['lundi', 'mardi', 'jeudi', 'vendredi']) {
    await parent.getByLabel(`Repas (${day})`).check();
  }
  await parent.getByLabel('Au (facultatif)').fill(iso(addDays(monday, 60)));
  await parent.getByRole('button', { name: "Voir l'aperçu" }).click();
  const preview = parent.getByRole('region', { name: /^Aperçu du / });
  await preview.waitFor();
  const summary = (await preview.locator('strong').textContent()).trim();
  const booked = Number(summary.match(/^(\d+) jours? réservés?/)?.[1]);
  assert.ok(booked > 20, `the preview books most of two months of canteen days: ${summary}`);
  // Nothing is recorded by the preview.
  const login = await portal.api('/api/v1/auth/login', { method: 'POST', body: { email: PARENT, password: portal.familiesPassword } });
  const token = login.body.access_token;
  const before_ = (await portal.api('/api/v1/bookings', { token })).body.total;
  await assertNoHorizontalScroll(parent, 'the typical week at 360 px');
  await checkAccessibility(parent, 'Réserver chaque semaine');
  await screenshot(parent, 'week-pattern-preview-360');

  await preview.getByRole('button', { name: 'Envoyer' }).click();
  await parent.getByText("C'est envoyé").waitFor();
  await parent.getByText(`${summary}.`).waitFor();
  await screenshot(parent, 'week-pattern-sent-360');
  const after_ = (await portal.api('/api/v1/bookings', { token })).body.total;
  assert.equal(after_ - before_, booked, 'the bookings the summary counts are the ones recorded');

  // Kept as Léa's « semaine type »: coming back, the same boxes are ticked, to apply it again.
  await parent.reload();
  await parent.getByRole('heading', { level: 1, name: 'Réserver chaque semaine' }).waitFor();
  await parent.getByLabel('Pour quel enfant ?').selectOption({ label: 'Léa' });
  await parent.getByLabel('Service', { exact: true }).selectOption('restauration');
  await parent.getByText(/Votre semaine type \(envoyée le/).waitFor();
  for (const day of ['lundi', 'mardi', 'jeudi', 'vendredi']) {
    assert.equal(await parent.getByLabel(`Repas (${day})`).isChecked(), true, day);
  }
  assert.equal(await parent.getByLabel('Repas (mercredi)').isChecked(), false);
});
