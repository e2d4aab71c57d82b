// Mon planning: on a Monday (the server's clock is set by the test-only PORTAIL_TEST_CLOCK,
// the browser's by Playwright), a validated parent books three ALJA days and a fourth whose
// last place another family takes meanwhile: that line is refused with its reason; the
// confirmation e-mail arrives; the parent cancels one day; then enters two crèche wishes for
// next week. Staff accept one and decline the other with a reason; the parent sees both
// outcomes; the attendance sheet lists the child. Staff set a day's places and book for a
// family through their screens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';

const PARENT = 'famille.durand@avermes.example';
const WEEKDAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

// The next Monday, 07:00 UTC (08:00 or 09:00 in Paris: before the 10:00 cut-offs).
const monday = (() => {
  const d = new Date();
  d.setUTCHours(7, 0, 0, 0);
  do d.setUTCDate(d.getUTCDate() + 1); while (d.getUTCDay() !== 1);
  return d;
})();
const day = (offset) => new Date(monday.getTime() + offset * 86400000);
const iso = (d) => d.toISOString().slice(0, 10);
const capital = (s) => s[0].toUpperCase() + s.slice(1);
/** How the grid names a day to a screen reader: « mardi 8 décembre ». */
const dayName = (d) => `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
/** How the recap and the staff screens write a date: « mardi 8 décembre 2026 ». */
const longDate = (d) => `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
const [tuesday, wednesday, thursday, friday] = [day(8), day(9), day(10), day(11)];

let smtp;
let portal;
let browser;
let adminToken;



before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url, env: { PORTAIL_TEST_CLOCK: monday.toISOString() } });
  browser = await launchBrowser();
  const admin = await portal.api('/api/v1/staff/auth/login', { method: 'POST', body: { email: portal.adminEmail, password: portal.adminPassword } });
  assert.equal(admin.status, 200);
  adminToken = admin.body.access_token;
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

async function newClockedPage(options) {
  const page = await newPage(browser, options);
  await page.clock.setFixedTime(monday);
  return page;
}

/** Moves the grid to the month of `d`. */
async function showMonth(page, d) {
  const wanted = `${capital(MONTHS[d.getUTCMonth()])} ${d.getUTCFullYear()}`;
  for (let i = 0; i < 3; i += 1) {
    const shown = (await page.locator('.month-nav__title').textContent()).trim();
    if (shown === wanted) break;
    await page.getByRole('button', { name: 'Mois suivant' }).click();
    await page.locator('.month-nav__title', { hasText: wanted }).waitFor({ timeout: 2000 }).catch(() => {});
  }
  await row(page, d).waitFor();
}

/** A day's row of the agenda. */
const row = (page, d) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: dayName(d), exact: true }) });
/** A day's box for a unit, named « Journée avec repas, mardi 8 décembre : 4 places ». */
const box = (page, d, unit) => page.getByRole('checkbox', { name: new RegExp(`^${unit}[^,]*, ${dayName(d)} :`) });

test('a parent books, sees a refusal explained, cancels, enters crèche wishes; staff decide; the attendance sheet lists the child', async () => {
  // Staff leave one place on Friday for the ALJA day, from « Planning des services ».
  const units = await portal.api('/api/v1/staff/units?service=alja', { token: adminToken });
  const day_unit = units.body.items.find((u) => u.name === 'Journée avec repas');
  assert.ok(day_unit, 'the demo has the ALJA day unit');
  const staff = await newClockedPage();
  await staff.goto(`${portal.baseUrl}/admin`);
  await staff.getByLabel('Adresse e-mail').fill(portal.adminEmail);
  await staff.getByLabel('Mot de passe').fill(portal.adminPassword);
  await staff.getByRole('button', { name: 'Connexion' }).click();
  await staff.getByRole('link', { name: /^Planning des services/ }).click();
  await staff.getByRole('heading', { level: 1, name: 'Planning des services' }).waitFor();
  await staff.getByRole('cell', { name: 'Mercredis et petites vacances', exact: true }).waitFor();
  const oneDay = staff.locator('form', { has: staff.getByRole('heading', { name: 'Places pour un jour précis' }) });
  await oneDay.getByLabel('Prestation').selectOption({ label: 'Journée avec repas' });
  await oneDay.getByRole('textbox', { name: 'Jour', exact: true }).fill(iso(friday));
  await oneDay.getByRole('textbox', { name: 'Places', exact: true }).fill('1');
  await oneDay.getByRole('button', { name: 'Fixer les places' }).click();
  await oneDay.getByText(`${longDate(friday)} : 1 place.`).waitFor();
  await checkAccessibility(staff, 'planning setup');
  await screenshot(staff, 'staff-planning-setup');

  const parent = await newClockedPage({ width: 390, height: 844 });
  await parent.goto(`${portal.baseUrl}/`);
  await parent.getByLabel('Adresse e-mail').fill(PARENT);
  await parent.getByLabel('Mot de passe').fill(portal.familiesPassword);
  await parent.getByRole('button', { name: 'Connexion' }).click();
  await parent.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await parent.getByRole('link', { name: /Mon planning/ }).first().click();
  await parent.getByRole('heading', { level: 1, name: 'Mon planning' }).waitFor();

  // Léa (7 years old) is offered ALJA, not the crèche.
  await parent.getByLabel('Enfant').selectOption({ label: 'Léa' });
  const offered = await parent.getByLabel('Service').locator('option').allTextContents();
  assert.ok(offered.some((o) => o.includes('ALJA') || o.includes('loisirs')), `ALJA offered to Léa: ${offered}`);
  assert.ok(!offered.some((o) => o.includes('Souris Verte')), `the crèche is not offered to Léa: ${offered}`);
  await parent.getByLabel('Service').selectOption({ index: offered.findIndex((o) => o.includes('ALJA') || o.includes('loisirs')) });
  await showMonth(parent, tuesday);

  // The month's boxes can be skipped from the keyboard: the link right before them.
  await parent.getByRole('button', { name: /suivant/ }).focus();
  await parent.keyboard.press('Tab'); // « Que veulent dire les cases ? »
  await parent.keyboard.press('Tab');
  assert.equal(await parent.evaluate(() => document.activeElement?.textContent), "Aller à l'état récapitulatif");
  await parent.keyboard.press('Enter');
  await parent.waitForURL(/#recapitulatif$/);
  for (const d of [tuesday, wednesday, thursday]) await box(parent, d, 'Journée avec repas').check();
  // The morning and the afternoon overlap the day: greyed while it is ticked, and said why.
  await row(parent, tuesday).getByText('Même horaire', { exact: false }).first().waitFor();
  assert.ok(await box(parent, tuesday, 'Matin').isDisabled(), 'the morning overlaps the ticked day');
  assert.ok(await box(parent, tuesday, 'Après-midi').isDisabled(), 'the afternoon overlaps the ticked day');
  assert.ok(await box(parent, tuesday, 'Journée avec repas').isEnabled(), 'the ticked day can be unticked');
  const last = box(parent, friday, 'Journée avec repas');
  assert.match(await last.evaluate((input) => input.labels[0].textContent), /: 1 place$/);
  await last.check();
  const recap = parent.getByRole('region', { name: 'État récapitulatif' });
  for (const d of [tuesday, wednesday, thursday, friday]) await recap.getByText(longDate(d), { exact: false }).waitFor();
  await recap.getByText('Montant estimé : 50,00 €').waitFor();
  await assertNoHorizontalScroll(parent, 'planning grid on a phone');
  await checkAccessibility(parent, 'Mon planning with a recap');
  await screenshot(parent, 'planning-grid-phone');
  await recap.scrollIntoViewIfNeeded();
  await screenshot(parent, 'planning-recap-phone');

  // Meanwhile another family takes Friday's last place: staff book it for them from their file.
  const bernard = (await portal.api('/api/v1/staff/families?q=bernard', { token: adminToken })).body.items[0];
  await staff.goto(`${portal.baseUrl}/admin/familles/${bernard.family_id}`);
  const forFamily = staff.getByRole('region', { name: 'Réserver pour la famille' });
  await forFamily.getByLabel('Enfant').selectOption({ label: 'Emma' });
  await forFamily.getByLabel('Prestation').selectOption({ label: 'Accueil de loisirs (ALJA) — Journée avec repas' });
  await forFamily.getByRole('textbox', { name: 'Jour', exact: true }).fill(iso(friday));
  await forFamily.getByRole('button', { name: 'Enregistrer' }).click();
  await forFamily.getByText(`${longDate(friday)} : Réservé.`).waitFor();

  await parent.getByRole('button', { name: '✓ Valider' }).click();
  await parent.getByText('3 changements enregistrés').waitFor();
  const refusal = parent.getByRole('alert').filter({ hasText: '1 ligne refusée' });
  await refusal.getByText(`${longDate(friday)} — Journée avec repas — Léa : Complet : il n'y a plus de place ce jour-là.`).waitFor();
  await screenshot(parent, 'planning-answer-phone');
  const mail = await smtp.latest(PARENT, 'Vos réservations sont enregistrées');
  assert.match(mail.text, new RegExp(`Réservé : .*Journée avec repas — Léa — ${longDate(tuesday)}`));
  assert.match(mail.text, /1 ligne n'a pas pu être enregistrée/);
  // The grid is read again: the three days are booked, Friday is full.
  await box(parent, tuesday, 'Journée avec repas').and(parent.locator(':checked')).waitFor();
  await row(parent, friday).getByText('Complet').first().waitFor();
  // After a reload the refusal is still readable, with its reason, under « Mes dernières demandes ».
  await parent.reload();
  const latest = parent.getByRole('region', { name: 'Mes dernières demandes' });
  await latest.getByText(`${capital(longDate(friday))} — Journée avec repas — Léa : Complet : il n'y a plus de place ce jour-là.`).waitFor();
  await parent.getByLabel('Enfant').selectOption({ label: 'Léa' });
  await parent.getByLabel('Service').selectOption({ index: offered.findIndex((o) => o.includes('ALJA') || o.includes('loisirs')) });
  await showMonth(parent, tuesday);

  // Cancelling Thursday frees its place at once.
  await box(parent, thursday, 'Journée avec repas').uncheck();
  await recap.getByText('Annuler', { exact: true }).waitFor();
  await parent.getByRole('button', { name: '✓ Valider' }).click();
  await parent.getByText('1 changement enregistré').waitFor();
  await box(parent, thursday, 'Journée avec repas').and(parent.getByRole('checkbox', { name: /: 4 places$/ })).waitFor();
  const upcoming = parent.getByRole('region', { name: 'Mes réservations à venir' });
  await upcoming.getByText(capital(longDate(tuesday))).first().waitFor();
  assert.equal(await upcoming.getByText(capital(longDate(thursday))).count(), 0, 'the cancelled day is gone');

  // Lucas (2 years old): the crèche, wishes for next week, entered on this Monday.
  await parent.getByLabel('Enfant').selectOption({ label: 'Lucas' });
  const forLucas = await parent.getByLabel('Service').locator('option').allTextContents();
  await parent.getByLabel('Service').selectOption({ index: forLucas.findIndex((o) => o.includes('Souris Verte')) });
  // The answer shown was for Léa and the ALJA: gone with the new choice.
  assert.equal(await parent.getByText('1 changement enregistré').count(), 0, 'the previous answer is cleared');
  // The crèche's rule is said once, above the grid, with this Monday and next week's dates.
  await parent.getByText(/^Aujourd'hui lundi \d+ \S+ : saisissez vos souhaits pour la semaine du /).waitFor();
  await showMonth(parent, tuesday);
  await box(parent, tuesday, 'Matin').check();
  await box(parent, wednesday, 'Matin').check();
  await screenshot(parent, 'planning-creche-monday-phone');
  await recap.getByText('Demander').first().waitFor();
  await parent.getByRole('button', { name: '✓ Valider' }).click();
  await parent.getByText('2 souhaits envoyés à la structure, qui vous répondra par e-mail').waitFor();
  await row(parent, tuesday).getByText('Demandé').first().waitFor();

  // Staff: the request queue of next week, one accepted, one declined with a reason.
  await staff.getByRole('link', { name: 'Demandes', exact: true }).click();
  await staff.getByRole('heading', { name: '2 souhaits en attente' }).waitFor();
  await checkAccessibility(staff, 'request queue');
  await screenshot(staff, 'staff-requests');
  await staff.getByRole('button', { name: new RegExp(`^Accepter Lucas.* — ${longDate(tuesday)}`) }).click();
  await staff.getByText('1 souhait accepté').waitFor();
  // The list reloads after a decision: the agent acts on the list as it now is.
  await staff.getByRole('heading', { name: '1 souhait en attente' }).waitFor();
  await staff.getByLabel('Motif du refus').fill('La section des petits est complète ce matin-là.');
  await staff.getByRole('button', { name: new RegExp(`^Refuser Lucas.* — ${longDate(wednesday)}`) }).click();
  await staff.getByText('1 souhait refusé').waitFor();
  await staff.getByText('Aucun souhait en attente pour cette semaine.').waitFor();
  await smtp.latest(PARENT, 'Réponse à vos souhaits de réservation');

  // The parent sees both outcomes.
  await parent.reload();
  await parent.getByLabel('Enfant').selectOption({ label: 'Lucas' });
  await parent.getByLabel('Service').selectOption({ index: forLucas.findIndex((o) => o.includes('Souris Verte')) });
  await showMonth(parent, tuesday);
  await row(parent, tuesday).getByText('Réservé').first().waitFor();
  const declined = row(parent, wednesday);
  await declined.getByText('Refusé').first().waitFor();
  await declined.getByText(/La section des petits est complète/).first().waitFor();
  await screenshot(parent, 'planning-outcomes-phone');

  // The attendance sheet of Tuesday's ALJA day lists Léa, printable and as CSV.
  await staff.getByRole('link', { name: 'Présences' }).click();
  await staff.getByRole('heading', { level: 1, name: 'Feuille de présence' }).waitFor();
  await staff.getByLabel('Service').selectOption('alja');
  await staff.getByLabel('Prestation').selectOption({ label: 'Journée avec repas' });
  await staff.getByRole('textbox', { name: 'Jour', exact: true }).fill(iso(tuesday));
  const sheet = staff.getByRole('region', { name: /Journée avec repas/ });
  await sheet.getByRole('rowheader', { name: /DURAND Léa/ }).waitFor();
  await sheet.getByText('1 enfant inscrit pour 4 places.').waitFor();
  await checkAccessibility(staff, 'attendance sheet');
  await screenshot(staff, 'staff-attendance');
  const [download] = await Promise.all([
    staff.waitForEvent('download'),
    staff.getByRole('button', { name: 'Exporter en CSV' }).click(),
  ]);
  const csv = await download.path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p, 'utf8')));
  assert.match(csv, /Durand/i);
  assert.match(csv, /Léa/);
});

test('on a Wednesday, the crèche grid says once, with the dates, when next week\'s wishes are entered; a grid opens where bookings open', async () => {
  const wednesdayMorning = new Date(monday.getTime() + 2 * 86400000);
  const nextMonday = day(7);
  const other = await startPortal({ env: { PORTAIL_TEST_CLOCK: wednesdayMorning.toISOString() } });
  try {
    const page = await newPage(browser, { width: 360, height: 800 });
    await page.clock.setFixedTime(wednesdayMorning);
    await page.goto(`${other.baseUrl}/`);
    await page.getByLabel('Adresse e-mail').fill(PARENT);
    await page.getByLabel('Mot de passe').fill(other.familiesPassword);
    await page.getByRole('button', { name: 'Connexion' }).click();
    await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
    await page.goto(`${other.baseUrl}/mon-planning`);
    await page.getByLabel('Enfant').selectOption({ label: 'Lucas' });
    const services = await page.getByLabel('Service').locator('option').allTextContents();
    await page.getByLabel('Service').selectOption({ index: services.findIndex((o) => o.includes('Souris Verte')) });
    const notice = page.getByText(/^Les souhaits pour la semaine du .+ se saisissent le lundi \d+ \S+\.$/);
    await notice.waitFor();
    assert.match(await notice.textContent(), new RegExp(`le lundi ${nextMonday.getUTCDate()} ${MONTHS[nextMonday.getUTCMonth()]}\\.$`));
    assert.equal(await page.getByText(/uniquement le lundi/).count(), 0, 'the rule is not repeated next to Monday dates');
    await assertNoHorizontalScroll(page, 'crèche grid on a Wednesday at 360 px');
    await checkAccessibility(page, 'crèche grid on a Wednesday');
    await screenshot(page, 'planning-creche-wednesday-360px');

    // Once the current ALJA period's bookings have closed, Léa's ALJA grid opens on next
    // summer's month, which says when its bookings open (not on an empty December).
    const admin = await other.api('/api/v1/staff/auth/login', { method: 'POST', body: { email: other.adminEmail, password: other.adminPassword } });
    const periods = await other.api('/api/v1/staff/periods', { token: admin.body.access_token });
    const current = periods.body.items.find((p) => p.name === 'Mercredis et petites vacances');
    const { id, ...closed } = current;
    closed.booking_closes_at = `${iso(day(1))}T08:00:00`;
    const saved = await other.api(`/api/v1/staff/periods/${id}`, { method: 'PUT', token: admin.body.access_token, body: closed });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    await page.reload();
    await page.getByLabel('Enfant').selectOption({ label: 'Léa' });
    await page.getByLabel('Service').selectOption({ label: 'Accueil de loisirs (ALJA)' });
    await page.locator('.month-nav__title', { hasText: /^Juillet \d{4}$/ }).waitFor();
    await page.getByText(/ouvrent le lundi 3 mai \d{4} à 9/).first().waitFor();
    await screenshot(page, 'planning-alja-next-opening-360px');
    await page.context().close();
  } finally {
    await other.stop();
  }
});
