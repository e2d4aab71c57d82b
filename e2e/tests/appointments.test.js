// « Prendre rendez-vous en mairie »: the town hall's « affaires scolaires » open tomorrow
// morning's slots; a grandmother without an account takes one from a phone (360 px) through
// the home page's link, and the confirmation reaches her mailbox; the team reads the day's
// agenda and marks her « Venu ».
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, before, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';
import { iso, addDays, journeyToday, longDate, isPublicHoliday } from '../lib/dates.js';

// A Monday to Thursday whose next day is not a public holiday: Monday 8 March 2027 by default.
const today = journeyToday('an appointment taken', '2027-03-08', (d) => [1, 2, 3, 4].includes(d.getUTCDay()) && !isPublicHoliday(addDays(d, 1)));
const tomorrow = addDays(today, 1);
const EMAIL = 'monique.durand@exemple.fr';

let smtp;
let portal;
let browser;

before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url, today });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

test('a caller without an account takes an appointment from a phone and the team marks her present', async () => {
  const admin = (await portal.api('/api/v1/staff/auth/login', { method: 'POST', body: { email: portal.adminEmail, password: portal.adminPassword } })).body.access_token;
  const opened = await portal.api('/api/v1/staff/appointment-slots', {
    method: 'POST', token: admin, body: { desk: 'scolaire', date: iso(tomorrow), from: '09:00', to: '10:00', length_minutes: 30, capacity: 1 },
  });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));

  const caller = await newPage(browser, { width: 360, height: 740, today });
  await caller.goto(`${portal.baseUrl}/`);
  await caller.getByRole('link', { name: 'Prendre rendez-vous' }).click();
  await caller.getByRole('heading', { level: 1, name: 'Prendre rendez-vous en mairie' }).waitFor();
  await caller.getByLabel('Jour et heure').selectOption({ label: `${longDate(tomorrow)} à 9 h 30` });
  await caller.getByLabel('Nom et prénom').fill('Monique Durand');
  await caller.getByLabel('Téléphone').fill('06 12 34 56 78');
  await caller.getByLabel('Adresse e-mail (facultatif)').fill(EMAIL);
  await caller.getByLabel('Pour quoi venez-vous ?').fill("Inscrire mon petit-fils à l'accueil de loisirs");
  await assertNoHorizontalScroll(caller, 'the appointment form at 360 px');
  await checkAccessibility(caller, 'Prendre rendez-vous');
  await caller.getByRole('button', { name: 'Prendre ce rendez-vous' }).click();
  await caller.getByText('Votre rendez-vous est pris.').waitFor();
  await caller.getByText(`Rendez-vous le ${longDate(tomorrow)} à 9 h 30 en mairie (Affaires scolaires).`).waitFor();
  await screenshot(caller, 'appointment-taken-360');
  const mail = await smtp.latest(EMAIL, 'Votre rendez-vous en mairie est confirmé');
  assert.ok(mail.text.includes('à 9 h 30'), mail.text);
  // The slot is no longer offered.
  const free = await portal.api('/api/v1/appointments/slots?desk=scolaire');
  assert.deepEqual(free.body.items.map((s) => s.start), ['09:00']);

  const staff = await newPage(browser, { today });
  await staff.goto(`${portal.baseUrl}/admin`);
  await staff.getByLabel('Adresse e-mail').fill(portal.adminEmail);
  await staff.getByLabel('Mot de passe').fill(portal.adminPassword);
  await staff.getByRole('button', { name: 'Connexion' }).click();
  await staff.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await staff.getByRole('link', { name: /Rendez-vous/ }).first().click();
  await staff.getByRole('heading', { level: 1, name: 'Rendez-vous' }).waitFor();
  await staff.getByLabel('Jour', { exact: true }).fill(iso(tomorrow));
  await staff.getByText('Monique Durand', { exact: true }).waitFor();
  await staff.getByText("Motif : Inscrire mon petit-fils à l'accueil de loisirs").waitFor();
  await staff.getByRole('button', { name: 'Venu : Monique Durand' }).click();
  await staff.locator('.badge', { hasText: 'Venu' }).waitFor();
  await checkAccessibility(staff, 'staff appointments');
  await screenshot(staff, 'staff-appointments');
});
