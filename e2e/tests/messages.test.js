// « Écrire au service »: a parent on a phone (360 px) writes to the RPE from the dashboard's
// « Écrire au service » link; the team reads it in « Messages des familles » (unread), answers
// with a PDF and closes the conversation; the parent is e-mailed that a message waits — not
// what it says — and reads the answer, its file offered for download.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, before, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';
import { journeyToday } from '../lib/dates.js';

const PASSWORD = 'cheval agrafe batterie correcte';
const today = journeyToday('a message answered', '2027-03-08');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const ANSWER = 'Oui : l\'atelier a lieu dans la salle du relais, le programme est joint.';

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

test('a parent writes to the RPE from a phone, the team answers with a file and the parent reads it', async () => {
  const [family] = JSON.parse(await portal.run(['seed-bench-families', '--count', '1', '--prefix', 'message', '--password', PASSWORD]));
  const parent = await newPage(browser, { width: 360, height: 740, today });
  await parent.goto(`${portal.baseUrl}/`);
  await parent.getByLabel('Adresse e-mail').fill(family.email);
  await parent.getByLabel('Mot de passe').fill(PASSWORD);
  await parent.getByRole('button', { name: 'Connexion' }).click();
  await parent.getByRole('heading', { level: 1, name: /Bonjour/ }).waitFor();
  const rpe = parent.locator('.contact-list__item', { hasText: 'Relais petite enfance' });
  await rpe.getByRole('link', { name: 'Écrire au service' }).click();
  await parent.getByRole('heading', { level: 1, name: 'Mes messages' }).waitFor();
  assert.equal(await parent.getByLabel('Service', { exact: true }).inputValue(), 'rpe');
  // Nothing written: the fields say so, nothing is sent.
  await parent.getByRole('button', { name: 'Envoyer le message' }).click();
  await parent.getByText('Écrivez votre message.').waitFor();
  await parent.getByLabel('Objet').fill("Atelier d'éveil de jeudi");
  await parent.getByLabel(/^Message/).fill("Bonjour,\nl'atelier a-t-il lieu en intérieur ? Mon fils est asthmatique.");
  await assertNoHorizontalScroll(parent, 'writing to a service at 360 px');
  await checkAccessibility(parent, 'Mes messages');
  await parent.getByRole('button', { name: 'Envoyer le message' }).click();
  await parent.getByRole('heading', { level: 2, name: "Atelier d'éveil de jeudi" }).waitFor();
  await parent.getByText('Mon fils est asthmatique.', { exact: false }).waitFor();

  const staff = await newPage(browser, { today });
  await staff.goto(`${portal.baseUrl}/admin`);
  await staff.getByLabel('Adresse e-mail').fill(portal.adminEmail);
  await staff.getByLabel('Mot de passe').fill(portal.adminPassword);
  await staff.getByRole('button', { name: 'Connexion' }).click();
  await staff.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await staff.getByRole('link', { name: /Messages des familles/ }).click();
  await staff.getByRole('heading', { level: 1, name: 'Messages des familles' }).waitFor();
  await staff.getByRole('link', { name: /Relais petite enfance.*1 non lue/ }).waitFor();
  const row = staff.locator('li.card', { hasText: "Atelier d'éveil de jeudi" });
  await row.getByText('Non lu').waitFor();
  await row.getByRole('link', { name: "Atelier d'éveil de jeudi" }).click();
  await staff.getByText('Mon fils est asthmatique.', { exact: false }).waitFor();
  await staff.getByLabel('Votre message').fill(ANSWER);
  await staff.getByLabel('Joindre un fichier (facultatif)').setInputFiles({ name: 'programme-atelier.pdf', mimeType: 'application/pdf', buffer: PDF });
  await staff.getByRole('button', { name: 'Envoyer' }).click();
  await staff.getByRole('button', { name: /Télécharger.*programme-atelier\.pdf/ }).waitFor();
  await staff.getByRole('button', { name: 'Clore la conversation' }).click();
  await staff.getByRole('button', { name: 'Rouvrir la conversation' }).waitFor();
  await checkAccessibility(staff, 'a conversation, staff side');
  await screenshot(staff, 'staff-conversation');

  // The e-mail says a message waits, and where; never what it says.
  const mail = await smtp.latest(family.email, 'Un message vous attend');
  assert.ok(!mail.text.includes('salle du relais') && !mail.text.includes('asthmatique'), mail.text);
  const link = mail.text.match(/https?:\/\/\S+\/mes-messages\/[0-9a-f-]+/)?.[0];
  assert.ok(link, mail.text);
  // The dashboard's « À faire » says so too, and leads there.
  await parent.goto(`${portal.baseUrl}/espace`);
  await parent.getByRole('link', { name: /Relais petite enfance.*vous a répondu/ }).waitFor();
  await screenshot(parent, 'dashboard-to-do-360');
  await parent.goto(link.replace(/^https?:\/\/[^/]+/, portal.baseUrl));
  await parent.getByText(ANSWER).waitFor();
  await parent.getByRole('button', { name: /Télécharger.*programme-atelier\.pdf/ }).waitFor();
  await parent.getByText('Cette conversation est close. Un nouveau message la rouvre.').waitFor();
  await assertNoHorizontalScroll(parent, 'a conversation at 360 px');
  await checkAccessibility(parent, 'a conversation, family side');
  await screenshot(parent, 'family-conversation-360');
  const download = parent.waitForEvent('download');
  await parent.getByRole('button', { name: /Télécharger.*programme-atelier\.pdf/ }).click();
  assert.equal((await download).suggestedFilename(), 'programme-atelier.pdf');
});
