// « Prélèvement automatique »: a family's canteen meal is invoiced; the parent, on a phone
// (360 px), opens « Prélèvement automatique » from « Mes factures », mistypes the IBAN (told
// next to the field), signs the mandate, reads it masked and downloads its PDF; the treasury
// issues the direct-debit file from « Facturation » and downloads it; the parent's invoice is
// « Prélèvement en cours » and offers no online payment.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  test, before, ARTIFACTS, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';
import { iso, inDemoSchoolYear, isPublicHoliday, journeyToday, bookableDays } from '../lib/dates.js';

const PASSWORD = 'cheval agrafe batterie correcte';
// A school weekday with canteen days left in its month: Monday 8 March 2027 by default.
const today = journeyToday('a mandate signed', '2027-03-08', (d) => [1, 2, 3].includes(d.getUTCDay())
  && d.getUTCDate() <= 20 && ![6, 7].includes(d.getUTCMonth()) && inDemoSchoolYear(d) && !isPublicHoliday(d));

let smtp;
let portal;
let browser;

before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url, today, env: { PORTAIL_PAYMENT_PROVIDER: 'fake' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

test('a parent signs a direct-debit mandate from a phone and the treasury debits the invoice', async () => {
  const [family] = JSON.parse(await portal.run(['seed-bench-families', '--count', '1', '--prefix', 'mandat', '--password', PASSWORD]));
  const token = (await portal.api('/api/v1/auth/login', { method: 'POST', body: { email: family.email, password: PASSWORD } })).body.access_token;
  const admin = (await portal.api('/api/v1/staff/auth/login', { method: 'POST', body: { email: portal.adminEmail, password: portal.adminPassword } })).body.access_token;
  const month = iso(today).slice(0, 7);
  const [meal] = await bookableDays(portal, token, { childId: family.child_id, service: 'restauration', unitName: 'Repas', count: 1, after: today, months: 1, filter: (d) => iso(d).startsWith(month) });
  const units = await portal.api('/api/v1/staff/units?service=restauration', { token: admin });
  const unit = units.body.items.find((u) => (u.name ?? u.unit?.name) === 'Repas').id;
  const booked = await fetch(`${portal.baseUrl}/api/v1/bookings/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': 'mandat-e2e' },
    body: JSON.stringify({ lines: [{ child_id: family.child_id, unit_id: unit, date: iso(meal), action: 'book' }] }),
  }).then((r) => r.json());
  assert.equal(booked.accepted, 1, JSON.stringify(booked));
  const run = await portal.api('/api/v1/staff/invoice-runs', { method: 'POST', token: admin, body: { month, services: ['restauration'], confirm_unfinished_month: true } });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  const invoice = run.body.invoices.find((i) => i.family_id === family.family_id);
  assert.ok(invoice, 'the family is invoiced');

  const parent = await newPage(browser, { width: 360, height: 740, today });
  await parent.goto(`${portal.baseUrl}/`);
  await parent.getByLabel('Adresse e-mail').fill(family.email);
  await parent.getByLabel('Mot de passe').fill(PASSWORD);
  await parent.getByRole('button', { name: 'Connexion' }).click();
  await parent.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
  await parent.goto(`${portal.baseUrl}/mes-factures`);
  await parent.getByRole('link', { name: 'Prélèvement automatique' }).click();
  await parent.getByRole('heading', { level: 1, name: 'Prélèvement automatique' }).waitFor();
  await parent.getByText('FR72ZZZ123456', { exact: false }).waitFor();
  await parent.getByLabel('Titulaire du compte').fill('Camille Mandat');
  await parent.getByLabel('IBAN').fill('FR76 3000 6000 0112 3456 7890 188');
  await parent.getByLabel("J'ai lu ce mandat et j'autorise ces prélèvements").check();
  await parent.getByRole('button', { name: 'Signer le mandat' }).click();
  await parent.getByText("Cet IBAN n'est pas valide", { exact: false }).waitFor();
  await parent.getByLabel('IBAN').fill('FR76 3000 6000 0112 3456 7890 189');
  await assertNoHorizontalScroll(parent, 'the mandate form at 360 px');
  await checkAccessibility(parent, 'Prélèvement automatique');
  await parent.getByRole('button', { name: 'Signer le mandat' }).click();
  await parent.getByRole('heading', { level: 2, name: 'Mon mandat' }).waitFor();
  await parent.getByText('FR76 •••• •••• •••• •••• 0189').waitFor();
  const shown = await parent.getByRole('region', { name: 'Mon mandat' }).innerText();
  assert.ok(!shown.includes('3456 7890 189') && !shown.includes('34567890189'), `the IBAN is masked: ${shown}`);
  await screenshot(parent, 'mandate-signed-360');
  const download = parent.waitForEvent('download');
  await parent.getByRole('button', { name: 'Télécharger le mandat (PDF)' }).click();
  const file = join(ARTIFACTS, 'mandat.pdf');
  await (await download).saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.ok(text.includes('MANDAT DE PRÉLÈVEMENT SEPA') && text.includes('FR72ZZZ123456'), text);

  const staff = await newPage(browser, { today });
  await staff.goto(`${portal.baseUrl}/admin`);
  await staff.getByLabel('Adresse e-mail').fill(portal.adminEmail);
  await staff.getByLabel('Mot de passe').fill(portal.adminPassword);
  await staff.getByRole('button', { name: 'Connexion' }).click();
  await staff.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await staff.goto(`${portal.baseUrl}/admin/facturation`);
  await staff.getByRole('heading', { level: 2, name: 'Prélèvements SEPA' }).waitFor();
  await staff.getByText('Camille Mandat', { exact: false }).waitFor();
  await staff.getByRole('button', { name: 'Émettre le fichier de prélèvement' }).click();
  await staff.getByText(/Fichier PF-\d{8}-\w+ émis : \d+ prélèvements?/).waitFor();
  await staff.getByText(new RegExp(`^Facture ${invoice.number} · .* · FRST · Prélèvement en cours`)).waitFor();
  const xml = staff.waitForEvent('download');
  await staff.getByRole('button', { name: 'Télécharger le fichier (XML)' }).first().click();
  const xmlFile = join(ARTIFACTS, 'prelevement.xml');
  await (await xml).saveAs(xmlFile);
  assert.ok(execFileSync('cat', [xmlFile], { encoding: 'utf8' }).includes('pain.008.001.02'));
  await checkAccessibility(staff, 'Facturation with direct debit');

  await parent.goto(`${portal.baseUrl}/mes-factures`);
  await parent.getByText('Prélèvement en cours').first().waitFor();
  assert.equal(await parent.getByRole('button', { name: /Payer/ }).count(), 0, 'no online payment while at the bank');
  await screenshot(parent, 'invoice-debit-pending-360');
});
