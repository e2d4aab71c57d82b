// The family file: a confirmed parent fills Mon foyer, adds two children, sends documents,
// tries to submit too early, submits; an agent refuses a document and asks for more; the
// parent answers and resubmits; the agent validates; the parent sees « Dossier validé » and
// the e-mail arrives.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, before, madeUp, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';

const EMAIL = `famille.leroy.${madeUp()}@exemple.fr`;
const PASSWORD = 'cheval agrafe batterie correcte';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);

let smtp;
let portal;
let browser;
let agent;



before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url });
  browser = await launchBrowser();
  // A confirmed parent (registration has its own journey).
  const registered = await portal.api('/api/v1/auth/register', {
    method: 'POST',
    body: {
      email: EMAIL, password: PASSWORD, password_confirmation: PASSWORD, address_line1: '8 rue des Lilas', postal_code: '03000',
      city: 'Avermes', mobile_phone: '0612345678', civility: 'madame', last_name: 'Leroy', first_name: 'Claire', birth_date: '1986-02-11', accept_terms: true,
    },
  });
  assert.equal(registered.status, 202);
  const confirmation = await smtp.latest(EMAIL, 'Confirmez votre adresse');
  const token = /#jeton=([\w-]+)/.exec(confirmation.text)[1];
  assert.equal((await portal.api('/api/v1/auth/verify-email', { method: 'POST', body: { token } })).status, 200);
  // An agent of the canteen, given their service by the demo administrator.
  const created = await portal.run(['create-staff', '--email', 'agent.cantine@avermes.example', '--role', 'agent', '--name', 'Agent Cantine']);
  agent = { email: 'agent.cantine@avermes.example', password: /mot de passe : (\S+)/.exec(created)[1] };
  const admin = await portal.api('/api/v1/staff/auth/login', { method: 'POST', body: { email: portal.adminEmail, password: portal.adminPassword } });
  const agentLogin = await portal.api('/api/v1/staff/auth/login', { method: 'POST', body: agent });
  const me = await portal.api('/api/v1/staff/me', { token: agentLogin.body.access_token });
  const services = await portal.api(`/api/v1/staff/accounts/${me.body.id}/services`, { method: 'PUT', token: admin.body.access_token, body: { services: ['restauration'] } });
  assert.equal(services.status, 200);
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

async function fillChild(page, { first, sex, birth }) {
  await page.getByRole('link', { name: '+ Ajouter un enfant' }).click();
  await page.getByRole('heading', { name: 'Ajouter un enfant' }).waitFor();
  await page.getByRole('textbox', { name: 'Prénom', exact: true }).fill(first);
  await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Leroy');
  await page.getByRole('radio', { name: sex }).check();
  await page.getByLabel('Date de naissance').fill(birth);
  await page.getByLabel('École').fill('École Jean-Jaurès');
  await page.getByLabel('Allergies').fill(first === 'Nina' ? 'Arachide' : '');
  for (const group of ['Projet d\'accueil individualisé (PAI)', 'Vaccinations à jour', 'Photos de l\'enfant lors des activités', 'Soins d\'urgence et hospitalisation si nécessaire', 'Partir seul à la fin des activités', 'Sorties hors de la structure']) {
    const answer = group.startsWith('Projet') || group.startsWith('Partir') ? 'Non' : 'Oui';
    await page.getByRole('group', { name: group }).getByRole('radio', { name: answer }).check();
  }
  await page.getByLabel('Régime alimentaire').selectOption('aucun');
  await page.getByLabel(/Monique Roux/).check();
  await page.getByRole('button', { name: 'Enregistrer l\'enfant' }).click();
}

async function addChild(page, child) {
  await fillChild(page, child);
  await page.getByRole('heading', { level: 1, name: 'Mes enfants' }).waitFor();
}

async function upload(page, type, owner, name, buffer, mimeType) {
  await page.getByLabel('Type de document').selectOption({ label: type });
  await page.getByLabel('Concerne').selectOption({ label: owner });
  await page.getByLabel('Fichier').setInputFiles({ name, mimeType, buffer });
  await page.getByRole('button', { name: 'Déposer le document' }).click();
  await page.getByText(`« ${name} » est déposé`).waitFor();
  // The list shows the file once it is read again (the form is drawn again with it, as a
  // parent sees it): only then is the next document chosen.
  await page.getByText(`${name} · déposé le`).waitFor();
}

test('a family file goes from incomplete to validated through a request for more information', async () => {
  const parent = await newPage(browser, { width: 390, height: 844 });
  await parent.goto(portal.baseUrl + '/');
  await parent.getByLabel('Adresse e-mail').fill(EMAIL);
  await parent.getByLabel('Mot de passe').fill(PASSWORD);
  await parent.getByRole('button', { name: 'Connexion' }).click();
  await parent.getByText('Dossier à compléter').waitFor();

  // Mon foyer.
  await parent.getByRole('link', { name: /^Mon foyer Accès/ }).click();
  await parent.getByLabel('Situation familiale').selectOption('marie');
  await parent.getByLabel('Nombre d\'enfants à charge').fill('2');
  await parent.getByLabel('Régime d\'allocations familiales').selectOption('caf');
  await parent.getByLabel('Numéro d\'allocataire').fill('7654321');
  await parent.getByLabel('Quotient familial (en euros)').fill('720');
  await parent.getByLabel('Assurance responsabilité civile : compagnie').fill('MAIF');
  await parent.getByLabel('Numéro de contrat').fill('RC-778899');
  await parent.getByLabel('Qui règle les factures ?').selectOption('titulaire');
  await parent.getByRole('button', { name: '+ Ajouter une personne' }).click();
  await parent.getByRole('textbox', { name: 'Nom', exact: true }).fill('Roux');
  await parent.getByRole('textbox', { name: 'Prénom', exact: true }).fill('Monique');
  await parent.getByRole('textbox', { name: 'Téléphone', exact: true }).fill('04 70 11 22 33');
  await parent.getByLabel('Lien avec l\'enfant').fill('Grand-mère');
  await parent.getByLabel('Autorisée à venir chercher les enfants').check();
  await checkAccessibility(parent, 'Mon foyer');
  await assertNoHorizontalScroll(parent, 'Mon foyer');
  await parent.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await parent.getByText('Mon foyer est enregistré.').waitFor();

  // Mes enfants: two children.
  await parent.goto(portal.baseUrl + '/mes-enfants');
  await addChild(parent, { first: 'Nina', sex: 'Fille', birth: '2018-09-03' });
  await addChild(parent, { first: 'Tom', sex: 'Garçon', birth: '2021-01-17' });
  await parent.getByRole('link', { name: 'Modifier Nina Leroy' }).waitFor();
  await parent.getByRole('link', { name: 'Modifier Tom Leroy' }).waitFor();
  // The same child twice is refused next to the first name.
  await fillChild(parent, { first: 'Nina', sex: 'Fille', birth: '2018-09-03' });
  await parent.getByText('Cet enfant est déjà dans votre dossier').waitFor();
  await parent.goto(portal.baseUrl + '/mes-enfants');
  // « Retirer » asks first, in a modal dialog; « Annuler » keeps the child.
  await addChild(parent, { first: 'Zoé', sex: 'Fille', birth: '2020-02-02' });
  await parent.getByRole('button', { name: 'Retirer Zoé Leroy' }).click();
  const dialog = parent.getByRole('dialog', { name: 'Retirer Zoé Leroy ?' });
  await dialog.waitFor();
  await checkAccessibility(parent, 'remove a child dialog');
  await screenshot(parent, 'family-file-remove-child');
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await parent.getByRole('link', { name: 'Modifier Zoé Leroy' }).waitFor();
  await parent.getByRole('button', { name: 'Retirer Zoé Leroy' }).click();
  await dialog.getByRole('button', { name: 'Retirer l\'enfant' }).click();
  await parent.getByText('Zoé Leroy ne fait plus partie de votre dossier.').waitFor();
  assert.equal(await parent.getByRole('link', { name: 'Modifier Zoé Leroy' }).count(), 0, 'Zoé is removed');
  await checkAccessibility(parent, 'Mes enfants');
  await screenshot(parent, 'family-file-children');

  // Mes documents: a PDF and a JPEG, then an attempt to submit too early.
  await parent.goto(portal.baseUrl + '/mes-documents');
  await upload(parent, 'Justificatif de domicile', 'Toute la famille', 'facture-edf.pdf', PDF, 'application/pdf');
  await upload(parent, 'Attestation d\'assurance', 'Toute la famille', 'assurance.jpg', JPEG, 'image/jpeg');
  await parent.goto(portal.baseUrl + '/espace');
  await parent.getByRole('link', { name: 'Mes documents : Carnet de vaccination de Nina' }).waitFor();
  await parent.getByRole('button', { name: 'Envoyer mon dossier' }).click();
  await parent.getByText('Votre dossier n\'est pas encore complet').waitFor();
  await checkAccessibility(parent, 'dashboard with what is missing');
  // The quotient entered in Mon foyer asks for its attestation.
  await parent.getByRole('link', { name: 'Mes documents : Attestation CAF / quotient familial (vous avez indiqué un quotient familial)' }).waitFor();
  await parent.getByRole('link', { name: 'Mes documents : Carnet de vaccination de Nina' }).click();
  await upload(parent, 'Attestation CAF / quotient familial', 'Toute la famille', 'attestation-caf.pdf', PDF, 'application/pdf');
  await upload(parent, 'Carnet de vaccination', 'Nina', 'vaccins-nina.pdf', PDF, 'application/pdf');
  await upload(parent, 'Carnet de vaccination', 'Tom', 'vaccins-tom.pdf', PDF, 'application/pdf');
  await checkAccessibility(parent, 'Mes documents');
  await screenshot(parent, 'family-file-documents');
  await parent.goto(portal.baseUrl + '/espace');
  await parent.getByRole('button', { name: 'Envoyer mon dossier' }).click();
  await parent.getByText('Dossier envoyé, en attente de validation').waitFor();

  // The agent: the queue, the file, a refused document and a request for more.
  const staff = await newPage(browser, { width: 1280 });
  await staff.goto(portal.baseUrl + '/admin');
  await staff.getByLabel('Adresse e-mail').fill(agent.email);
  await staff.getByLabel('Mot de passe').fill(agent.password);
  await staff.getByRole('button', { name: 'Connexion' }).click();
  await staff.getByRole('link', { name: 'Dossiers', exact: true }).click();
  await staff.getByRole('link', { name: /^À traiter/ }).waitFor();
  await staff.getByRole('link', { name: 'Leroy Claire' }).click();
  await staff.getByRole('heading', { level: 1, name: 'Leroy Claire' }).waitFor();
  await staff.getByText('Arachide').waitFor();
  const insurance = staff.getByRole('listitem').filter({ hasText: 'Attestation d\'assurance — Famille' });
  await insurance.getByLabel('Motif en cas de refus').fill('Attestation illisible : merci d\'en déposer une nouvelle.');
  await insurance.getByRole('button', { name: 'Refuser' }).click();
  const refused = staff.getByRole('listitem').filter({ hasText: 'Attestation d\'assurance — Famille' });
  await refused.getByText('Refusée').waitFor();
  // A decided document keeps its decision: no second click, no second history line.
  assert.equal(await refused.getByRole('button', { name: /Accepter|Refuser/ }).count(), 0, 'no decision buttons on a decided document');
  await staff.getByLabel('Demander un complément').fill('L\'attestation d\'assurance est illisible.');
  await staff.getByRole('button', { name: 'Demander un complément' }).click();
  await staff.getByText('Demande envoyée à la famille par e-mail.').waitFor();
  // The « Décision » card says what happens now, with the message sent.
  const decision = staff.getByRole('region', { name: 'Décision' });
  await decision.getByText('En attente de la famille').waitFor();
  await decision.getByText('Message envoyé : L\'attestation d\'assurance est illisible.').waitFor();
  await checkAccessibility(staff, 'staff file view');
  await screenshot(staff, 'family-file-staff-view');

  // The parent answers and resubmits.
  await parent.reload();
  await parent.getByText('L\'attestation d\'assurance est illisible.').waitFor();
  await smtp.latest(EMAIL, 'Complément d\'information');
  await parent.goto(portal.baseUrl + '/mes-documents');
  await parent.getByText('Motif du refus : Attestation illisible').waitFor();
  await upload(parent, 'Attestation d\'assurance', 'Toute la famille', 'assurance-2026.pdf', PDF, 'application/pdf');
  await parent.goto(portal.baseUrl + '/espace');
  await parent.getByRole('button', { name: 'Envoyer mon dossier' }).click();
  await parent.getByText('Dossier envoyé, en attente de validation').waitFor();

  // The agent validates.
  // The agent validates: the documents still waiting are listed, and the agent confirms.
  await staff.reload();
  await staff.getByRole('button', { name: 'Valider le dossier' }).click();
  const confirm = staff.getByRole('alertdialog');
  await confirm.getByText(/pièces? (est|sont) encore en attente de vérification/).waitFor();
  await confirm.getByText('Attestation d\'assurance — Famille').waitFor();
  await checkAccessibility(staff, 'staff validation confirmation');
  await screenshot(staff, 'family-file-staff-confirm');
  await confirm.getByRole('button', { name: 'Valider quand même' }).click();
  await staff.getByText('Dossier validé : la famille est prévenue par e-mail.').waitFor();

  await parent.reload();
  await parent.getByText('Dossier validé', { exact: true }).waitFor();
  await checkAccessibility(parent, 'dashboard validated');
  await screenshot(parent, 'family-file-dashboard');
  const validated = await smtp.latest(EMAIL, 'Votre dossier est validé');
  assert.match(validated.text, /Mon planning/);
  await parent.context().close();
  await staff.context().close();
});

test('staff accept each document of a file on its page, then validate it at the first click', async () => {
  // The Bernards' file waits with five documents. Each decision draws the file again; the
  // « Valider le dossier » drawn last must be the one that answers (it once kept the first
  // drawing's action, which still saw documents to review, and did nothing).
  const staff = await newPage(browser, { width: 1280 });
  await staff.goto(portal.baseUrl + '/admin');
  await staff.getByLabel('Adresse e-mail').fill(portal.adminEmail);
  await staff.getByLabel('Mot de passe').fill(portal.adminPassword);
  await staff.getByRole('button', { name: 'Connexion' }).click();
  await staff.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await staff.goto(portal.baseUrl + '/admin/familles');
  await staff.getByRole('link', { name: 'Bernard Julien' }).first().click();
  await staff.getByRole('heading', { level: 1, name: 'Bernard Julien' }).waitFor();
  const accept = staff.getByRole('button', { name: 'Accepter', exact: true });
  for (let left = await accept.count(); left > 0; left -= 1) {
    await accept.first().click();
    await staff.waitForFunction((n) => [...document.querySelectorAll('button')].filter((b) => b.textContent.trim() === 'Accepter').length < n, left);
  }
  await staff.getByRole('button', { name: 'Valider le dossier' }).click();
  await staff.getByText('Dossier validé : la famille est prévenue par e-mail.').waitFor();
  await staff.getByTestId('family-status').getByText('Dossier validé').waitFor();
  await staff.context().close();
});
