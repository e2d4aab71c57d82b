// Mon planning: on a Monday (the server's clock is set by the test-only PORTAIL_TEST_CLOCK,
// the browser's by Playwright), a validated parent books three ALJA days and a fourth whose
// last place another family takes meanwhile: that line is refused with its reason; the
// confirmation e-mail arrives; the parent cancels one day; then enters two crèche wishes for
// next week. Staff accept one and decline the other with a reason; the parent sees both
// outcomes; the attendance sheet lists the child. Staff set a day's places and book for a
// family through their screens.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, before, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';
import {
  MONTHS, iso, addDays, dayName, dayOfMonth, longDate, capital, monthTitle, isMonday, inDemoSchoolYear,
  journeyToday, bookableDays, showMonth as showGridMonth,
} from '../lib/dates.js';

const PARENT = 'famille.durand@avermes.example';

// A Monday (crèche wishes are entered on Mondays for the next week) whose next week the demo's
// crèche is open: Monday 8 March 2027, or with E2E_TODAY the first such Monday from it.
const monday = journeyToday('a parent books', '2027-03-08', (d) => isMonday(d) && inDemoSchoolYear(addDays(d, 11)));
// A Wednesday before next summer's bookings open (3 May): 10 March 2027, or from E2E_TODAY.
const wednesdayMorning = journeyToday('on a Wednesday', '2027-03-10', (d) => d.getUTCDay() === 3 && inDemoSchoolYear(d) && !(iso(d).slice(5) >= '05-03' && iso(d).slice(5) <= '08-31'));
// The four ALJA days the parent books and the two crèche days wished: asked of the API (before).
let tuesday;
let wednesday;
let thursday;
let friday;
let crecheFirst;
let crecheSecond;

let smtp;
let portal;
let browser;
let adminToken;



before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url, today: monday });
  browser = await launchBrowser();
  const admin = await portal.api('/api/v1/staff/auth/login', { method: 'POST', body: { email: portal.adminEmail, password: portal.adminPassword } });
  assert.equal(admin.status, 200);
  adminToken = admin.body.access_token;
  const family = await portal.api('/api/v1/auth/login', { method: 'POST', body: { email: PARENT, password: portal.familiesPassword } });
  assert.equal(family.status, 200);
  const children = (await portal.api('/api/v1/children', { token: family.body.access_token })).body.items;
  const child = (name) => children.find((c) => (c.first_name ?? c.details?.first_name) === name).id;
  [tuesday, wednesday, thursday, friday] = await bookableDays(portal, family.body.access_token, {
    childId: child('Léa'), service: 'alja', unitName: 'Journée avec repas', count: 4, after: monday, places: 2,
  });
  [crecheFirst, crecheSecond] = await bookableDays(portal, family.body.access_token, {
    childId: child('Lucas'), service: 'creche', unitName: 'Matin 8h–12h', count: 2, after: monday,
  });
  // The session used to read the grids is not the journey's: log it out.
  await portal.api('/api/v1/auth/logout', { method: 'POST', token: family.body.access_token });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

const newClockedPage = (options) => newPage(browser, { ...options, today: monday });

/** Moves the grid to the month of `d`. */
async function showMonth(page, d) {
  await showGridMonth(page, d);
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
  // Back in the grid from the keyboard: a box is ticked with the space bar.
  for (const d of [tuesday, wednesday, thursday]) {
    await box(parent, d, 'Journée avec repas').focus();
    await parent.keyboard.press('Space');
    await box(parent, d, 'Journée avec repas').and(parent.locator(':checked')).waitFor();
  }
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
  await parent.getByText(/^Aujourd'hui lundi (1er|\d+) \S+ : saisissez vos souhaits pour la semaine du /).waitFor();
  await showMonth(parent, crecheFirst);
  await box(parent, crecheFirst, 'Matin').check();
  if (crecheSecond.getUTCMonth() !== crecheFirst.getUTCMonth()) await showMonth(parent, crecheSecond);
  await box(parent, crecheSecond, 'Matin').check();
  await screenshot(parent, 'planning-creche-monday-phone');
  await recap.getByText('Demander').first().waitFor();
  await parent.getByRole('button', { name: '✓ Valider' }).click();
  await parent.getByText('2 souhaits envoyés à la structure, qui vous répondra par e-mail').waitFor();
  await row(parent, crecheSecond).getByText('Demandé').first().waitFor();

  // Staff: the request queue of next week, one accepted, one declined with a reason.
  await staff.getByRole('link', { name: 'Demandes', exact: true }).click();
  await staff.getByRole('heading', { name: '2 souhaits en attente' }).waitFor();
  await checkAccessibility(staff, 'request queue');
  await screenshot(staff, 'staff-requests');
  await staff.getByRole('button', { name: new RegExp(`^Accepter Lucas.* — ${longDate(crecheFirst)}`) }).click();
  await staff.getByText('1 souhait accepté').waitFor();
  // The list reloads after a decision: the agent acts on the list as it now is.
  await staff.getByRole('heading', { name: '1 souhait en attente' }).waitFor();
  await staff.getByLabel('Motif du refus').fill('La section des petits est complète ce matin-là.');
  await staff.getByRole('button', { name: new RegExp(`^Refuser Lucas.* — ${longDate(crecheSecond)}`) }).click();
  await staff.getByText('1 souhait refusé').waitFor();
  await staff.getByText('Aucun souhait en attente pour cette semaine.').waitFor();
  await smtp.latest(PARENT, 'Réponse à vos souhaits de réservation');

  // The parent sees both outcomes.
  await parent.reload();
  await parent.getByLabel('Enfant').selectOption({ label: 'Lucas' });
  await parent.getByLabel('Service').selectOption({ index: forLucas.findIndex((o) => o.includes('Souris Verte')) });
  await showMonth(parent, crecheFirst);
  await row(parent, crecheFirst).getByText('Réservé').first().waitFor();
  await showMonth(parent, crecheSecond);
  const declined = row(parent, crecheSecond);
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
  const nextMonday = addDays(wednesdayMorning, 5);
  const other = await startPortal({ today: wednesdayMorning });
  try {
    const page = await newPage(browser, { width: 360, height: 800, today: wednesdayMorning });
    await page.goto(`${other.baseUrl}/`);
    await page.getByLabel('Adresse e-mail').fill(PARENT);
    await page.getByLabel('Mot de passe').fill(other.familiesPassword);
    await page.getByRole('button', { name: 'Connexion' }).click();
    await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
    await page.goto(`${other.baseUrl}/mon-planning`);
    await page.getByLabel('Enfant').selectOption({ label: 'Lucas' });
    const services = await page.getByLabel('Service').locator('option').allTextContents();
    await page.getByLabel('Service').selectOption({ index: services.findIndex((o) => o.includes('Souris Verte')) });
    const notice = page.getByText(/^Les souhaits pour la semaine du .+ se saisissent le lundi (1er|\d+) \S+\.$/);
    await notice.waitFor();
    assert.match(await notice.textContent(), new RegExp(`le lundi ${dayOfMonth(nextMonday)} ${MONTHS[nextMonday.getUTCMonth()]}\\.$`));
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
    closed.booking_closes_at = `${iso(addDays(wednesdayMorning, -1))}T08:00:00`;
    const saved = await other.api(`/api/v1/staff/periods/${id}`, { method: 'PUT', token: admin.body.access_token, body: closed });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    await page.reload();
    await page.getByLabel('Enfant').selectOption({ label: 'Léa' });
    await page.getByLabel('Service').selectOption({ label: 'Accueil de loisirs (ALJA)' });
    // Next summer: the summer after this school year (September to August).
    const summer = wednesdayMorning.getUTCMonth() >= 7 ? wednesdayMorning.getUTCFullYear() + 1 : wednesdayMorning.getUTCFullYear();
    await page.locator('.month-nav__title', { hasText: `Juillet ${summer}` }).waitFor();
    await page.getByText(`ouvrent le ${longDate(new Date(Date.UTC(summer, 4, 3, 7)))} à 9`).first().waitFor();
    await screenshot(page, 'planning-alja-next-opening-360px');
    await page.context().close();
  } finally {
    await other.stop();
  }
});
