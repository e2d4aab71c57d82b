// « Mes attestations » on a phone (360 px). In the autumn, a family's four-year-old goes to the
// holiday centre one day and eats at the canteen once; the month is invoiced and half of it is
// paid by cheque. In January the portal restarts on the same database: the team marks the day
// present; the parent opens « Mes attestations » from « Mes factures », reads what the year's
// payment certifies (the holiday centre's share of what was paid, not the meal's), downloads
// the attestation fiscale and the attestation de présence, and both PDFs say so.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  test, before, ARTIFACTS, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';
import { iso, inDemoSchoolYear, journeyToday, bookableDays, longDate } from '../lib/dates.js';

const PASSWORD = 'cheval agrafe batterie correcte';
// A weekday of the school year's autumn, with days left to book before the year ends:
// Monday 2 November 2026 by default.
const autumn = journeyToday('a certificate downloaded', '2026-11-02', (d) => [1, 2, 3, 4, 5].includes(d.getUTCDay())
  && d.getUTCMonth() >= 8 && d.getUTCMonth() <= 10 && inDemoSchoolYear(d));
const year = autumn.getUTCFullYear();
const january = new Date(Date.UTC(year + 1, 0, 11, 7));

let smtp;
let portal;
let browser;
const euros = (cents) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')} €`;

before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url, today: autumn });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

function pdfText(download, name) {
  const file = join(ARTIFACTS, name);
  return download.saveAs(file).then(() => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replaceAll('\u00a0', ' '));
}

test('a parent downloads the year\'s attestation fiscale and an attestation de présence from a phone', async () => {
  // The family, validated, with a child of four (under six on 1 January).
  const [family] = JSON.parse(await portal.run(['seed-bench-families', '--count', '1', '--prefix', 'attestation', '--password', PASSWORD]));
  const login = async (p) => (await p.api('/api/v1/auth/login', { method: 'POST', body: { email: family.email, password: PASSWORD } })).body.access_token;
  let token = await login(portal);
  const child = (await portal.api(`/api/v1/children/${family.child_id}`, { token })).body;
  child.birth_date = `${year - 4}-05-01`;
  assert.equal((await portal.api(`/api/v1/children/${family.child_id}`, { method: 'PUT', token, body: child })).status, 200);

  // One holiday-centre day and one meal of the same month, before the year ends.
  const sameYear = (d) => d.getUTCFullYear() === year;
  const [day] = await bookableDays(portal, token, { childId: family.child_id, service: 'alja', unitName: 'Journée avec repas', count: 1, after: autumn, months: 2, filter: sameYear });
  const month = iso(day).slice(0, 7);
  const [meal] = await bookableDays(portal, token, { childId: family.child_id, service: 'restauration', unitName: 'Repas', count: 1, after: autumn, months: 2, filter: (d) => iso(d).startsWith(month) });
  const admin = (await portal.api('/api/v1/staff/auth/login', { method: 'POST', body: { email: portal.adminEmail, password: portal.adminPassword } })).body.access_token;
  const unit = async (service, name) => {
    const units = await portal.api(`/api/v1/staff/units?service=${service}`, { token: admin });
    return units.body.items.find((u) => (u.name ?? u.unit?.name) === name).id;
  };
  const aljaDay = await unit('alja', 'Journée avec repas');
  const lines = [[aljaDay, day], [await unit('restauration', 'Repas'), meal]]
    .map(([unit_id, d]) => ({ child_id: family.child_id, unit_id, date: iso(d), action: 'book' }));
  const booked = await fetch(`${portal.baseUrl}/api/v1/bookings/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': 'attestation-e2e' },
    body: JSON.stringify({ lines }),
  }).then((r) => r.json());
  assert.equal(booked.accepted, 2, JSON.stringify(booked));

  // The month is invoiced; half of it is paid by cheque this year.
  const run = await portal.api('/api/v1/staff/invoice-runs', { method: 'POST', token: admin, body: { month, services: ['alja', 'restauration'], confirm_unfinished_month: true } });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  const issued = run.body.invoices.find((i) => i.family_id === family.family_id);
  const care = issued.lines.filter((l) => l.service === 'alja').reduce((sum, l) => sum + l.amount_cents, 0);
  const paid = Math.floor(issued.total_cents / 2);
  const cheque = await portal.api('/api/v1/staff/payments', { method: 'POST', token: admin, body: { family_id: family.family_id, method: 'cheque', amount_cents: paid, received_on: iso(autumn), reference: '1234567' } });
  assert.equal(cheque.status, 201, JSON.stringify(cheque.body));
  const expected = Math.floor((paid * care) / issued.total_cents);
  const { adminEmail, adminPassword, dataDir } = portal;
  await portal.stop();

  // January: the same database, the year over.
  portal = await startPortal({ smtpUrl: smtp.url, today: january, seed: false, env: { PORTAIL_DATA_DIR: dataDir } });
  const staff = (await portal.api('/api/v1/staff/auth/login', { method: 'POST', body: { email: adminEmail, password: adminPassword } })).body.access_token;
  const marked = await portal.api(`/api/v1/staff/units/${aljaDay}/attendance/${iso(day)}/${family.child_id}`, { method: 'PUT', token: staff, body: { mark: 'present' } });
  assert.equal(marked.status, 204);
  token = await login(portal);

  const parent = await newPage(browser, { width: 360, height: 740, today: january });
  await parent.goto(`${portal.baseUrl}/`);
  await parent.getByLabel('Adresse e-mail').fill(family.email);
  await parent.getByLabel('Mot de passe').fill(PASSWORD);
  await parent.getByRole('button', { name: 'Connexion' }).click();
  await parent.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
  await parent.goto(`${portal.baseUrl}/mes-factures`);
  await parent.getByRole('link', { name: 'Attestations fiscale et de présence' }).click();
  await parent.getByRole('heading', { level: 1, name: 'Mes attestations' }).waitFor();
  // Last year by default; the child's line says what the year's payment certifies.
  assert.equal(await parent.getByLabel('Année', { exact: true }).inputValue(), String(year));
  await parent.getByText(`Enfant — ${euros(expected)} payés en ${year}`).waitFor();
  await assertNoHorizontalScroll(parent, 'Mes attestations at 360 px');
  await checkAccessibility(parent, 'Mes attestations');
  await screenshot(parent, 'certificates-360');

  const [fiscal] = await Promise.all([
    parent.waitForEvent('download'),
    parent.getByRole('button', { name: /^Télécharger l'attestation \(PDF\)/ }).click(),
  ]);
  const text = await pdfText(fiscal, `attestation-fiscale-${year}.pdf`);
  assert.ok(text.includes('ATTESTATION FISCALE'), text);
  assert.ok(text.includes(`Total payé en ${year}`), text);
  assert.ok(text.includes(euros(expected)), `${euros(expected)} in ${text}`);

  // The attestation de présence of the month: the one day marked present.
  await parent.getByLabel('Service', { exact: true }).selectOption('alja');
  await parent.getByLabel('Du', { exact: true }).fill(`${month}-01`);
  await parent.getByLabel('Au', { exact: true }).fill(`${year}-12-31`);
  await parent.getByRole('button', { name: 'Voir les jours de présence' }).click();
  await parent.getByText(/1 jour de présence/).waitFor();
  await screenshot(parent, 'certificates-attendance-360');
  const [presence] = await Promise.all([
    parent.waitForEvent('download'),
    parent.getByRole('button', { name: 'Télécharger l\'attestation de présence (PDF)' }).click(),
  ]);
  const days = await pdfText(presence, 'attestation-presence.pdf');
  assert.ok(days.includes('ATTESTATION DE PRÉSENCE'), days);
  assert.ok(days.includes(longDate(day)), `${longDate(day)} in ${days}`);
});
