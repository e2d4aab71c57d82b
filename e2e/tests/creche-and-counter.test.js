// Issue 13, three journeys on one portal (a Monday, the server's and the browser's clocks set):
// 1. « Mes préinscriptions en crèche »: a parent pre-registers an unborn child with a weekly
//    schedule and the document the crèche asks for; the commission offers a place; the parent
//    accepts it.
// 2. A full ALJA day: the parent puts Léa on its waiting list (rank 1); another family cancels;
//    Léa is booked at once and the parent is e-mailed.
// 3. « Aide aux démarches »: an agent creates at the counter a family without an e-mail
//    address, acts for it to book a day, ends with « Terminer »; the audit log names both.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, before, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';
import { iso, addDays, dayName, journeyToday, bookableDays, showMonth } from '../lib/dates.js';

const PARENT = 'famille.durand@avermes.example';
const PASSWORD = 'parcours de la liste attente';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

// Monday 8 March 2027, or with E2E_TODAY that very day, whatever it is: these journeys book
// only days the API offers, and date the pre-registration from today.
const monday = journeyToday('pre-registration, waiting list, counter', '2027-03-08');
const day = (offset) => addDays(monday, offset);

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
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

const clockedPage = (options) => newPage(browser, { ...options, today: monday });

async function logIn(page, path, email, password) {
  await page.goto(portal.baseUrl + path);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Connexion' }).click();
}

async function unitId(service, name) {
  const units = await portal.api(`/api/v1/staff/units?service=${service}`, { token: adminToken });
  const unit = units.body.items.find((u) => (u.name ?? u.unit?.name) === name);
  assert.ok(unit, `the demo has « ${name} »`);
  return unit.id;
}

async function book(token, lines, key) {
  const response = await fetch(`${portal.baseUrl}/api/v1/bookings/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: JSON.stringify({ lines }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

test('a parent pre-registers an unborn child with a schedule and a document; the commission offers a place; the parent accepts', async () => {
  const parent = await clockedPage({ width: 360, height: 740 });
  await logIn(parent, '/', PARENT, portal.familiesPassword);
  await parent.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
  // The tile reads as the note, the crèche's number a link to call.
  await parent.getByText('Accès à mes préinscriptions au multi accueil la Souris Verte').waitFor();
  assert.equal(await parent.getByRole('link', { name: '04 70 45 61 51' }).first().getAttribute('href'), 'tel:0470456151');
  await parent.getByRole('link', { name: /Mes préinscriptions en crèche/ }).click();
  await parent.getByRole('heading', { level: 1, name: 'Mes préinscriptions en crèche' }).waitFor();
  // What sending needs is said before anything is filled in.
  await parent.getByText(/la crèche demande\u00a0: Avis d'imposition/).waitFor();
  await parent.getByRole('link', { name: 'Nouvelle préinscription' }).click();
  await parent.getByRole('heading', { level: 1, name: 'Préinscription en crèche' }).waitFor();
  await parent.getByText(/la crèche demande\u00a0: Avis d'imposition/).waitFor();

  // An unborn child: the expected birth, the start, Monday, Tuesday and Thursday.
  const birth = day(40);
  const start = new Date(Date.UTC(birth.getUTCFullYear(), birth.getUTCMonth() + 2, 1, 7));
  await parent.getByLabel('Naissance prévue le').fill(iso(birth));
  await parent.getByLabel('Date d\'entrée souhaitée').fill(iso(start));
  for (const weekday of ['Lundi', 'Mardi', 'Jeudi']) await parent.getByLabel(weekday, { exact: true }).check();
  await parent.getByLabel('Jeudi, départ').fill('12:30');
  // Outside the opening hours: said next to the schedule, nothing sent.
  await parent.getByLabel('Lundi, arrivée').fill('06:45');
  await parent.getByRole('button', { name: 'Envoyer la préinscription' }).click();
  await parent.getByText(/entre 07:30 et 18:30/).waitFor();
  await parent.getByLabel('Lundi, arrivée').fill('08:15');
  await parent.getByLabel('Commentaire (facultatif)').fill('Premier enfant, reprise du travail en septembre.');
  await assertNoHorizontalScroll(parent, 'the pre-registration form at 360 px');
  await screenshot(parent, 'creche-preregistration-form-360');
  await parent.getByRole('button', { name: 'Envoyer la préinscription' }).click();

  // The tax notice is missing: the server's own words stay on the form, the draft is kept.
  await parent.getByText('Déposez dans «\u00a0Mes documents\u00a0» : Avis d\'imposition.').waitFor();
  await parent.getByText(/Votre brouillon est enregistré/).waitFor();
  await parent.getByRole('link', { name: '← Mes préinscriptions' }).click();
  // The crèche asks for the tax notice: sent from the list, then the request.
  await parent.getByRole('heading', { level: 1, name: 'Mes préinscriptions en crèche' }).waitFor();
  await parent.getByText('Pièces demandées par la crèche').waitFor();
  await parent.getByLabel(/Avis d'imposition/).setInputFiles({ name: 'avis-imposition.pdf', mimeType: 'application/pdf', buffer: PDF });
  await parent.getByText('«\u00a0Avis d\'imposition\u00a0» déposé.').waitFor();
  await parent.getByRole('button', { name: 'Envoyer la préinscription' }).click();
  await parent.getByText(/Préinscription envoyée/).waitFor();
  await parent.getByText('Déposée', { exact: true }).waitFor();
  await smtp.latest(PARENT, 'Votre préinscription en crèche');
  await checkAccessibility(parent, 'Mes préinscriptions en crèche');
  await screenshot(parent, 'creche-preregistration-sent-360');

  // The commission offers a place from the start, to be answered within a week.
  const staff = await clockedPage();
  await logIn(staff, '/admin', portal.adminEmail, portal.adminPassword);
  await staff.waitForURL(/\/admin\/accueil/);
  await staff.getByRole('link', { name: /Préinscriptions en crèche/ }).click();
  await staff.getByRole('heading', { level: 1, name: 'Préinscriptions en crèche' }).waitFor();
  await staff.getByRole('checkbox', { name: /Enfant à naître \(Durand Marie\)/ }).check();
  await staff.getByLabel('Décision').selectOption('proposee');
  await staff.getByLabel('Premier jour d\'accueil').fill(iso(start));
  await staff.getByLabel('Réponse attendue au plus tard le').fill(iso(day(7)));
  await staff.getByRole('button', { name: 'Appliquer' }).click();
  await staff.getByText('Appliquée : Place proposée').waitFor();
  await checkAccessibility(staff, 'the commission');
  await screenshot(staff, 'creche-commission');
  await smtp.latest(PARENT, 'Votre préinscription en crèche');

  // The parent accepts.
  await parent.reload();
  await parent.getByText('Une place vous est proposée').waitFor();
  await screenshot(parent, 'creche-place-offered-360');
  await parent.getByRole('button', { name: 'Accepter la place' }).click();
  await parent.getByText(/Vous avez accepté la place/).waitFor();
  await parent.getByText('Acceptée', { exact: true }).waitFor();
  await parent.context().close();
  await staff.context().close();
});

test('a full day: Léa joins its waiting list at rank 1; another family cancels; Léa is booked and the parent e-mailed', async () => {
  const [other] = JSON.parse(await portal.run(['seed-bench-families', '--count', '1', '--prefix', 'attente', '--password', PASSWORD]));
  const login = await portal.api('/api/v1/auth/login', { method: 'POST', body: { email: other.email, password: PASSWORD } });
  assert.equal(login.status, 200);
  const otherToken = login.body.access_token;
  const morning = await unitId('alja', 'Matin');
  // The first morning both children can book, a week ahead at least.
  const [date] = await bookableDays(portal, otherToken, { childId: other.child_id, service: 'alja', unitName: 'Matin', count: 1, after: day(6), places: 2 });
  const capacity = await portal.api(`/api/v1/staff/units/${morning}/capacity`, { method: 'PUT', token: adminToken, body: { date: iso(date), capacity: 1 } });
  assert.equal(capacity.status, 200);
  const held = await book(otherToken, [{ child_id: other.child_id, unit_id: morning, date: iso(date), action: 'book' }], 'attente-1');
  assert.equal(held.accepted, 1);

  const parent = await clockedPage({ width: 360, height: 740 });
  await logIn(parent, '/', PARENT, portal.familiesPassword);
  await parent.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
  await parent.goto(portal.baseUrl + '/mon-planning');
  await parent.getByRole('heading', { level: 1, name: 'Mon planning' }).waitFor();
  await parent.getByLabel('Service').selectOption('alja');
  await showMonth(parent, date);
  const join = parent.getByRole('button', { name: `Liste d'attente : Matin, ${dayName(date)} : ` });
  await join.click();
  const leave = parent.getByRole('button', { name: `Quitter la liste : Matin, ${dayName(date)} : ` });
  await leave.waitFor();
  await parent.getByText('Liste d\'attente : rang 1.').waitFor();
  await checkAccessibility(parent, 'Mon planning with a waiting list');
  await screenshot(parent, 'waiting-list-rank-1-360');

  // The other family cancels: the place goes to Léa in the same transaction.
  const cancelled = await book(otherToken, [{ child_id: other.child_id, unit_id: morning, date: iso(date), action: 'cancel' }], 'attente-2');
  assert.equal(cancelled.results[0].outcome, 'cancelled');
  const mail = await smtp.latest(PARENT, 'Une place s\'est libérée');
  assert.match(mail.text, /la réservation de Léa/);
  await parent.reload();
  await parent.getByLabel('Service').selectOption('alja');
  await showMonth(parent, date);
  await parent.getByRole('checkbox', { name: new RegExp(`^Matin[^,]*, ${dayName(date)} : Réservé`) }).waitFor();
  await screenshot(parent, 'waiting-list-promoted-360');
  await parent.context().close();
});

test('an agent creates a family without e-mail at the counter, acts for it to book a day, and the audit log names both', async () => {
  const staff = await clockedPage();
  await logIn(staff, '/admin', portal.adminEmail, portal.adminPassword);
  await staff.waitForURL(/\/admin\/accueil/);
  await staff.getByRole('link', { name: /Aide aux démarches/ }).click();
  await staff.getByRole('heading', { level: 1, name: 'Créer le compte d\'une famille en mairie' }).waitFor();
  await staff.getByLabel('Adresse*', { exact: true }).fill('3 place de la Mairie');
  await staff.getByLabel('Code postal').fill('03000');
  await staff.getByLabel('Ville').fill('Avermes');
  await staff.getByLabel('Téléphone fixe').fill('04 70 12 34 56');
  await staff.getByLabel('Monsieur').check();
  await staff.getByLabel('Nom*', { exact: true }).fill('Lefort');
  await staff.getByLabel('Prénom*', { exact: true }).fill('Louis');
  await staff.getByLabel('Date de naissance').fill('1979-06-15');
  await staff.getByRole('button', { name: 'Créer le compte de la famille' }).click();
  // « Accepter » is ticked for the parent only after reading them the text.
  await staff.getByText(/Lisez au parent le texte sur la protection des données/).waitFor();
  await staff.getByLabel(/J'ai lu ce texte au parent/).check();
  await staff.getByRole('button', { name: 'Créer le compte de la famille' }).click();
  await staff.getByText('Compte créé').waitFor();
  await staff.getByText(/Sans adresse e-mail, la famille est suivie par la mairie/).waitFor();
  await checkAccessibility(staff, 'the counter');
  await screenshot(staff, 'counter-family-created');
  const familyId = (await staff.getByRole('link', { name: 'Voir le dossier' }).getAttribute('href')).split('/').pop();

  // Its file, filled for it (the screens of Mon foyer, Mes enfants and Mes documents have
  // their own journeys), then validated: with a token of the agent acting for it.
  const acting = await portal.api(`/api/v1/staff/families/${familyId}/acting`, { method: 'POST', token: adminToken });
  assert.equal(acting.status, 201);
  const as = acting.body.access_token;
  const household = await portal.api('/api/v1/household', {
    method: 'PUT', token: as,
    body: {
      family_situation: 'marie', dependent_children: 1, allocation_regime: 'caf', beneficiary_number: '7654321', family_quotient: 700, family_quotient_year: monday.getUTCFullYear() - 1,
      insurance_company: 'MAIF', insurance_policy_number: 'RC-9', invoice_payer: 'titulaire',
      contacts: [{ last_name: 'Roux', first_name: 'Monique', phone: '04 70 11 22 33', relationship: 'Grand-mère', emergency_contact: true, can_pick_up: true }],
    },
  });
  assert.equal(household.status, 200);
  const child = await portal.api('/api/v1/children', {
    method: 'POST', token: as,
    body: {
      last_name: 'Lefort', first_name: 'Nina', sex: 'fille', birth_date: '2018-04-02', has_pai: false, vaccinations_up_to_date: true, diet: 'aucun',
      allergies: '', doctor_name: 'Dr Morel', photo_consent: true, emergency_care_consent: true, may_leave_alone: false, outings_consent: true,
    },
  });
  assert.equal(child.status, 201);
  for (const [type, childId] of [['justificatif_domicile'], ['attestation_assurance'], ['attestation_caf_qf'], ['carnet_vaccination', child.body.id]]) {
    const query = new URLSearchParams({ document_type: type, filename: `${type}.pdf`, ...(childId ? { child_id: childId } : {}) });
    const uploaded = await fetch(`${portal.baseUrl}/api/v1/documents?${query}`, { method: 'POST', headers: { authorization: `Bearer ${as}`, 'content-type': 'application/octet-stream' }, body: PDF });
    assert.equal(uploaded.status, 201, type);
  }
  assert.equal((await portal.api('/api/v1/dossier/submit', { method: 'POST', token: as })).status, 200);
  assert.equal((await portal.api(`/api/v1/staff/families/${familyId}/validate`, { method: 'POST', token: adminToken })).status, 200);
  // The day the agent will book for Nina: the first one the API offers her, a week ahead.
  const [date] = await bookableDays(portal, as, { childId: child.body.id, service: 'alja', unitName: 'Journée avec repas', count: 1, after: day(7) });
  await portal.api('/api/v1/staff/acting/stop', { method: 'POST', token: as });

  // The agent acts for the family in the browser: the banner on every page, a day booked.
  await staff.goto(`${portal.baseUrl}/admin/familles/${familyId}`);
  await staff.getByRole('button', { name: 'Agir pour cette famille (30 min)' }).click();
  await staff.getByText('Vous agissez pour la famille Louis LEFORT').waitFor();
  await screenshot(staff, 'acting-banner-dashboard');
  await staff.getByRole('link', { name: /Mon planning/ }).first().click();
  await staff.getByRole('heading', { level: 1, name: 'Mon planning' }).waitFor();
  await staff.getByText('Vous agissez pour la famille Louis LEFORT').waitFor();
  await staff.getByLabel('Service').selectOption('alja');
  await showMonth(staff, date);
  await staff.getByRole('checkbox', { name: new RegExp(`^Journée avec repas[^,]*, ${dayName(date)} :`) }).check();
  await staff.getByRole('button', { name: '✓ Valider' }).click();
  await staff.getByRole('checkbox', { name: new RegExp(`^Journée avec repas[^,]*, ${dayName(date)} : Réservé`) }).waitFor();
  await screenshot(staff, 'acting-booked');
  // « Mon compte » is the family's own: read, with the reason, no form whose saving fails.
  await staff.getByRole('link', { name: '← Mon espace' }).click();
  await staff.getByRole('link', { name: /Mon compte/ }).first().click();
  await staff.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
  await staff.getByText(/ne se modifient que par la famille elle-même/).waitFor();
  assert.equal(await staff.getByRole('button', { name: /Enregistrer/ }).count(), 0, 'no form to save while acting');
  await staff.getByRole('button', { name: 'Terminer' }).click();
  await staff.waitForURL(/\/admin\/familles/);
  // Back in the staff area (its session restored from its cookie) before going on: leaving a
  // page while it renews the session would lose the renewed cookie.
  await staff.getByRole('heading', { level: 1, name: 'Dossiers des familles' }).waitFor();

  // The log: the agent's name, what was done for the family.
  await staff.goto(`${portal.baseUrl}/admin/journal`);
  await staff.getByText(/a agi pour la famille : réservations envoyées/).first().waitFor();
  await staff.getByText(/a créé en mairie le compte d'une famille, sans adresse e-mail/).first().waitFor();
  await screenshot(staff, 'acting-audit-log');
  await staff.context().close();
});
