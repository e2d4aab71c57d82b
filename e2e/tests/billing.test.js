// « Mes factures »: a month of ALJA and canteen bookings for Léa (one meal taken without
// booking, marked present by the team) → staff preview and issue the month's invoices in
// « Facturation » → the parent sees the invoice, its lines and downloads the PDF (page 1
// rendered to PNG and kept) → pays online through the FAKE provider → « Payée », nothing left
// to pay → staff no longer see it in the outstanding list.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  test, before, ARTIFACTS, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';
import {
  MONTHS, iso, isMonday, isPublicHoliday, inDemoSchoolYear, journeyToday, bookableDays,
} from '../lib/dates.js';

const PARENT = 'famille.durand@avermes.example';

// A working Monday early in a school month (not July or August: the canteen is closed): the
// month has two more school weeks to book, and today's meal can be marked on the sheet.
// Monday 8 March 2027, or with E2E_TODAY the first such Monday from it.
const monday = journeyToday('staff issue the month', '2027-03-08', (d) => isMonday(d) && d.getUTCDate() <= 14
  && ![6, 7].includes(d.getUTCMonth()) && inDemoSchoolYear(d) && !isPublicHoliday(d));
const month = iso(monday).slice(0, 7);
const monthName = `${MONTHS[monday.getUTCMonth()]} ${monday.getUTCFullYear()}`;

let smtp;
let portal;
let browser;
let adminToken;
let familyToken;

before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url, today: monday, env: { PORTAIL_PAYMENT_PROVIDER: 'fake' } });
  browser = await launchBrowser();
  const admin = await portal.api('/api/v1/staff/auth/login', { method: 'POST', body: { email: portal.adminEmail, password: portal.adminPassword } });
  assert.equal(admin.status, 200);
  adminToken = admin.body.access_token;
  const family = await portal.api('/api/v1/auth/login', { method: 'POST', body: { email: PARENT, password: portal.familiesPassword } });
  assert.equal(family.status, 200);
  familyToken = family.body.access_token;
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

const clockedPage = (options) => newPage(browser, { ...options, today: monday });

async function unitId(service, name) {
  const units = await portal.api(`/api/v1/staff/units?service=${service}`, { token: adminToken });
  const unit = units.body.items.find((u) => (u.name ?? u.unit?.name) === name);
  assert.ok(unit, `the demo has « ${name} »`);
  return unit.id;
}

test('staff issue the month, the parent reads the invoice and its PDF, pays online, staff see it settled', async () => {
  // The month's bookings, made by the parent (the booking screens have their own journey).
  const children = await portal.api('/api/v1/children', { token: familyToken });
  const lea = children.body.items.find((c) => (c.first_name ?? c.details?.first_name) === 'Léa');
  assert.ok(lea, 'the Durands have Léa');
  const [alja, meal] = [await unitId('alja', 'Journée avec repas'), await unitId('restauration', 'Repas')];
  // Days of this month the API says Léa can book: two ALJA days and three meals.
  const thisMonth = { childId: lea.id, after: monday, months: 1, filter: (d) => iso(d).startsWith(month) };
  const aljaDays = await bookableDays(portal, familyToken, { ...thisMonth, service: 'alja', unitName: 'Journée avec repas', count: 2 });
  const mealDays = await bookableDays(portal, familyToken, { ...thisMonth, service: 'restauration', unitName: 'Repas', count: 3 });
  const lines = [...aljaDays.map((d) => [alja, d]), ...mealDays.map((d) => [meal, d])]
    .map(([unit_id, d]) => ({ child_id: lea.id, unit_id, date: iso(d), action: 'book' }));
  const booked = await fetch(`${portal.baseUrl}/api/v1/bookings/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${familyToken}`, 'idempotency-key': 'facturation-e2e' },
    body: JSON.stringify({ lines }),
  }).then((r) => r.json());
  assert.equal(booked.accepted, 5, JSON.stringify(booked));

  // Today Léa ate at the canteen without a booking: the team marks her present on the sheet.
  const staff = await clockedPage();
  await staff.goto(`${portal.baseUrl}/admin`);
  await staff.getByLabel('Adresse e-mail').fill(portal.adminEmail);
  await staff.getByLabel('Mot de passe').fill(portal.adminPassword);
  await staff.getByRole('button', { name: 'Connexion' }).click();
  await staff.getByRole('heading', { name: /Bonjour/ }).waitFor();
  const marked = await portal.api(`/api/v1/staff/units/${meal}/attendance/${iso(monday)}/${lea.id}`, { method: 'PUT', token: adminToken, body: { mark: 'present' } });
  assert.equal(marked.status, 204);
  await staff.goto(`${portal.baseUrl}/admin/presences`);
  await staff.getByLabel('Service').selectOption('restauration');
  await staff.getByText('Présent sans réservation').waitFor();

  // Staff preview, then issue the month.
  await staff.goto(`${portal.baseUrl}/admin/accueil`);
  await staff.getByRole('link', { name: 'Facturation', exact: true }).click();
  await staff.getByRole('heading', { level: 1, name: 'Facturation' }).waitFor();
  await staff.getByLabel('Mois facturé').fill(month);
  await staff.getByRole('button', { name: 'Aperçu' }).click();
  // « de mars », « d'avril »: French elides before a vowel.
  const ofMonth = /^[aeiouyéèêh]/i.test(monthName) ? `d'${monthName}` : `de ${monthName}`;
  await staff.getByText(`Aperçu ${ofMonth} (rien n'est émis)`).waitFor();
  // The preview's row for the Durands (its family name heads the row); in some months the
  // outstanding list below also names them, in a plain cell.
  const preview = staff.locator('table', { has: staff.getByRole('columnheader', { name: 'Lignes' }) });
  await preview.getByRole('rowheader', { name: 'Durand', exact: true }).waitFor();
  assert.equal(await preview.getByRole('row').filter({ hasText: 'Durand' }).getByRole('cell').nth(1).textContent(), String(lines.length + 1), 'the five booked lines and the meal taken without booking');
  // The month has not ended: issuing waits for a confirmation naming the days not over.
  await staff.getByText(`Le mois ${ofMonth} n'est pas terminé`).waitFor();
  const issue = staff.getByRole('button', { name: 'Émettre les factures' });
  assert.equal(await issue.isDisabled(), true, 'issuing an unfinished month needs the confirmation');
  await staff.getByLabel("Je confirme l'émission d'un mois qui n'est pas terminé").check();
  await issue.click();
  await staff.getByText(`Émis pour ${monthName}`).waitFor();
  const issued = await portal.api(`/api/v1/staff/invoices?month=${month}`, { token: adminToken });
  const invoice = issued.body.items.find((i) => i.family_name === 'Durand');
  assert.ok(invoice, JSON.stringify(issued.body));
  await staff.getByText(`N°\u00a0${invoice.number} — Durand`).waitFor();
  await checkAccessibility(staff, 'staff billing');
  await screenshot(staff, 'staff-billing-issued');
  // Before payment, the outstanding list shows it.
  await staff.getByRole('rowheader', { name: invoice.number }).waitFor();
  // A cheque of 1 € at the counter: the invoices are read again, and the message with its
  // receipt stays (it was lost with the redrawn row).
  const row = staff.getByRole('listitem').filter({ hasText: `N°\u00a0${invoice.number} — Durand` });
  await row.getByRole('button', { name: 'Enregistrer un paiement' }).click();
  await row.getByLabel('Montant (€)').fill('1,00');
  await row.getByRole('button', { name: 'Enregistrer le paiement' }).click();
  await staff.getByText(/^Paiement de 1,00\s€ enregistré pour la facture n°\s/).waitFor();
  await row.getByText('Partiellement payée').waitFor();
  const [receipt] = await Promise.all([
    staff.waitForEvent('download'),
    staff.getByRole('button', { name: 'Reçu (PDF)' }).click(),
  ]);
  const receiptFile = join(ARTIFACTS, 'recu-guichet.pdf');
  await receipt.saveAs(receiptFile);
  const receiptText = execFileSync('pdftotext', ['-layout', receiptFile, '-'], { encoding: 'utf8' }).replaceAll('\u00a0', ' ');
  assert.ok(receiptText.includes('1,00 €') && receiptText.includes(invoice.number), receiptText);
  // The family's file shows its invoices, what is left to pay and the payments received.
  await staff.goto(`${portal.baseUrl}/admin/familles/${invoice.family_id}`);
  const ledger = staff.getByRole('region', { name: 'Factures et paiements' });
  await ledger.getByText(`N°\u00a0${invoice.number}`, { exact: false }).waitFor();
  await ledger.getByText(/Chèque · 1,00\s€/).waitFor();
  await ledger.getByText(/^Reste à régler/).waitFor();
  await screenshot(staff, 'staff-family-ledger');
  await staff.goto(`${portal.baseUrl}/admin/facturation`);
  await staff.getByRole('heading', { level: 1, name: 'Facturation' }).waitFor();

  // The parent, on a phone.
  const parent = await clockedPage({ width: 390, height: 844 });
  await parent.goto(`${portal.baseUrl}/`);
  await parent.getByLabel('Adresse e-mail').fill(PARENT);
  await parent.getByLabel('Mot de passe').fill(portal.familiesPassword);
  await parent.getByRole('button', { name: 'Connexion' }).click();
  await parent.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await parent.getByRole('link', { name: /Mes factures/ }).first().click();
  await parent.getByRole('heading', { level: 1, name: 'Mes factures' }).waitFor();
  const title = `Facture n°\u00a0${invoice.number} — ${monthName}`;
  await parent.getByRole('link', { name: title }).waitFor();
  await parent.getByText(/^(À payer|Partiellement payée)$/).first().waitFor();
  await checkAccessibility(parent, 'Mes factures');
  await assertNoHorizontalScroll(parent, 'Mes factures at 390 px');
  await screenshot(parent, 'parent-invoices-390px');

  // The detail, line by line, with the meal taken without booking.
  await parent.getByRole('link', { name: title }).click();
  await parent.getByRole('heading', { level: 1, name: `Facture n°\u00a0${invoice.number}` }).waitFor();
  await parent.getByText('Repas pris sans réservation').waitFor();
  await checkAccessibility(parent, 'an invoice');
  await assertNoHorizontalScroll(parent, 'an invoice at 390 px');
  await screenshot(parent, 'parent-invoice-detail-390px');

  // The PDF: downloaded, its text read back, page 1 kept as a picture.
  const [download] = await Promise.all([
    parent.waitForEvent('download'),
    parent.getByRole('button', { name: 'Télécharger le PDF' }).click(),
  ]);
  const pdf = join(ARTIFACTS, `facture-${invoice.number}.pdf`);
  await download.saveAs(pdf);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replaceAll('\u00a0', ' ');
  assert.ok(text.includes(invoice.number), text);
  assert.ok(text.includes('Repas pris sans réservation'), text);
  assert.ok(text.includes("Commune d'Avermes"), text);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(ARTIFACTS, 'invoice-pdf-page-1')]);

  // Paying online: the FAKE provider's page, « Payer », back to the invoice, paid.
  await parent.getByRole('button', { name: /en ligne$/ }).first().click();
  await parent.waitForURL(/\/paiement-fictif\//);
  await parent.getByText('FICTIF').first().waitFor();
  await screenshot(parent, 'fake-provider-390px');
  await parent.getByRole('button', { name: 'Payer', exact: true }).click();
  await parent.waitForURL(new RegExp(`/mes-factures/${invoice.id}$`));
  await parent.getByText('Payée').first().waitFor();

  // The demo's older invoice is paid the same way: nothing left to pay.
  await parent.getByRole('link', { name: '← Mes factures' }).click();
  await parent.getByRole('heading', { name: 'Mes règlements' }).waitFor();
  for (;;) {
    const pay = parent.getByRole('button', { name: /en ligne$/ }).first();
    if (!(await pay.isVisible().catch(() => false))) break;
    await pay.click();
    await parent.waitForURL(/\/paiement-fictif\//);
    await parent.getByRole('button', { name: 'Payer', exact: true }).click();
    await parent.waitForURL(/\/mes-factures\//);
    await parent.getByText('Payée').first().waitFor();
    await parent.getByRole('link', { name: '← Mes factures' }).click();
    await parent.getByRole('heading', { name: 'Mes règlements' }).waitFor();
  }
  await parent.getByText('Vous ne devez rien : merci !').waitFor();
  await parent.getByRole('heading', { name: 'Mes règlements' }).waitFor();
  await parent.getByText('Paiement en ligne').first().waitFor();
  await screenshot(parent, 'parent-invoices-paid-390px');
  const balance = await portal.api('/api/v1/balance', { token: familyToken });
  assert.equal(balance.body.balance_cents, 0, JSON.stringify(balance.body));

  // Staff: settled, so no longer in the outstanding list.
  await staff.reload();
  await staff.getByRole('heading', { name: 'Restes dus' }).waitFor();
  await staff.getByText(/^Jusqu'à 30 jours/).waitFor();
  assert.equal(await staff.getByRole('rowheader', { name: invoice.number }).count(), 0, 'paid: not outstanding');
  assert.deepEqual(parent.jsErrors, []);
  assert.deepEqual(staff.jsErrors, []);
});
