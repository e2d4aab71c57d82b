// Family accounts: the five-step registration (with one field error and one « ← Retour »),
// the confirmation e-mail read from the SMTP server, login with « Se souvenir de moi »,
// a reload that keeps the session, logout, « Mot de passe oublié ? », and the staff login.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, before, madeUp, startPortal, startSmtp, launchBrowser, newPage, checkAccessibility, screenshot, assertNoHorizontalScroll,
} from '../lib/harness.js';

const EMAIL = `marie.durand.${madeUp()}@exemple.fr`;
const PASSWORD = 'cheval agrafe batterie correcte';
const NEW_PASSWORD = 'radis orage lune gâteau';

let smtp;
let portal;
let browser;

before(async () => {
  smtp = await startSmtp();
  portal = await startPortal({ smtpUrl: smtp.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await smtp?.close();
});

/** The link of the latest e-mail to `to` whose subject starts with `subject`. */
async function linkFrom(to, subject) {
  const mail = await smtp.latest(to, subject);
  return /(http:\/\/\S+#jeton=[\w-]+)/.exec(mail.text)[1];
}

test('a parent registers in five steps, confirms, logs in, stays logged in, logs out, resets the password', async () => {
  const page = await newPage(browser, { width: 360, height: 800 });
  const next = () => page.getByRole('button', { name: 'Suivant →' }).click();
  const stepTitle = (text) => page.getByRole('heading', { level: 2, name: text }).waitFor();

  await page.goto(portal.baseUrl + '/');
  await page.getByRole('link', { name: 'Créer mon compte' }).click();
  await page.getByRole('heading', { level: 1, name: 'Créer mon compte' }).waitFor();

  // Step 1, with a mistake first.
  await stepTitle('1 — Informations de connexion');
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirmer le nouveau mot de passe').fill('autre chose');
  await next();
  await page.getByText('Les deux mots de passe ne sont pas identiques.').waitFor();
  // Focus goes to the first error.
  await page.waitForFunction(() => document.activeElement?.id === 'password_confirmation');
  await checkAccessibility(page, 'registration step 1 with an error');
  await screenshot(page, 'accounts-register-1-error');
  await page.getByLabel('Confirmer le nouveau mot de passe').fill(PASSWORD);
  await next();

  // Step 2.
  await stepTitle('2 — Coordonnées');
  await page.getByRole('textbox', { name: 'Adresse', exact: true }).fill('12 rue des Écoles');
  await page.getByLabel('Code postal').fill('03000');
  await page.getByLabel('Ville').fill('Avermes');
  await page.getByLabel('Téléphone portable').fill('06 12 34 56 78');
  await checkAccessibility(page, 'registration step 2');
  await screenshot(page, 'accounts-register-2');
  await next();

  // Step 3, then back to step 2: nothing typed is lost.
  await stepTitle('3 — Informations personnelles');
  await page.getByLabel('Madame').check();
  await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Durand');
  await page.getByRole('button', { name: '← Retour' }).click();
  await stepTitle('2 — Coordonnées');
  assert.equal(await page.getByLabel('Code postal').inputValue(), '03000');
  await next();
  await stepTitle('3 — Informations personnelles');
  assert.equal(await page.getByRole('textbox', { name: 'Nom', exact: true }).inputValue(), 'Durand');
  await page.getByLabel('Prénom').fill('Marie');
  await page.getByLabel('Date de naissance').fill('1988-04-02');
  // Each step is a URL, and what was typed survives a reload (never the passwords).
  assert.match(page.url(), /\/inscription\/3$/);
  assert.match(await page.title(), /étape 3 sur 5/);
  await page.reload();
  await stepTitle('3 — Informations personnelles');
  assert.equal(await page.getByLabel('Prénom').inputValue(), 'Marie');
  assert.equal(await page.getByRole('textbox', { name: 'Nom', exact: true }).inputValue(), 'Durand');
  // The browser's Back button goes back one step, not out of the wizard.
  await page.goBack();
  await stepTitle('2 — Coordonnées');
  assert.equal(await page.getByLabel('Code postal').inputValue(), '03000');
  await page.goBack();
  await stepTitle('1 — Informations de connexion');
  assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), EMAIL);
  assert.equal(await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).inputValue(), '', 'a password is never stored');
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirmer le nouveau mot de passe').fill(PASSWORD);
  await next();
  await stepTitle('2 — Coordonnées');
  await next();
  await stepTitle('3 — Informations personnelles');
  await checkAccessibility(page, 'registration step 3');
  await screenshot(page, 'accounts-register-3');
  await next();

  // Step 4 is optional.
  await stepTitle('4 — Informations professionnelles');
  await page.getByRole('textbox', { name: 'Profession', exact: true }).fill('Infirmière');
  await checkAccessibility(page, 'registration step 4');
  await screenshot(page, 'accounts-register-4');
  await next();

  // Step 5: « Accepter » is required.
  await stepTitle('5 — Validation');
  await page.getByText('Je certifie sur l\'honneur l\'exactitude des renseignements donnés').waitFor();
  await page.getByRole('button', { name: '✓ Valider' }).click();
  await page.getByText('Vous devez cocher « Accepter » pour créer votre compte.').waitFor();
  await page.getByLabel(/Accepter/).check();
  await checkAccessibility(page, 'registration step 5');
  await screenshot(page, 'accounts-register-5');
  await page.getByRole('button', { name: '✓ Valider' }).click();
  await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();
  await screenshot(page, 'accounts-register-done');

  // The confirmation e-mail, from the real SMTP server.
  const confirmation = await linkFrom(EMAIL, 'Confirmez votre adresse');
  await page.goto(confirmation);
  await page.getByText('Votre adresse e-mail est confirmée').waitFor();
  await checkAccessibility(page, 'e-mail confirmed');
  await page.getByRole('link', { name: 'Se connecter' }).click();

  // Login with « Se souvenir de moi », then a reload keeps the session.
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByLabel('Se souvenir de moi').check();
  await page.getByRole('button', { name: 'Connexion' }).click();
  await page.getByRole('heading', { name: 'Bonjour Marie Durand' }).waitFor();
  await page.getByText('Dossier à compléter').waitFor();
  await page.getByRole('link', { name: /Mes préinscriptions en crèche/ }).waitFor();
  await checkAccessibility(page, 'dashboard');
  await assertNoHorizontalScroll(page, 'dashboard');
  await screenshot(page, 'accounts-dashboard');
  await page.reload();
  await page.getByRole('heading', { name: 'Bonjour Marie Durand' }).waitFor();

  // Mon compte.
  await page.getByRole('link', { name: /Mon compte/ }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
  await page.getByRole('heading', { name: 'Mes informations' }).waitFor();
  assert.equal(await page.getByLabel('Téléphone portable').inputValue(), '06 12 34 56 78');
  await checkAccessibility(page, 'my account');
  await screenshot(page, 'accounts-my-account');

  // Logout: the space is closed.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('heading', { name: 'Connexion à votre compte' }).waitFor();
  await page.goto(portal.baseUrl + '/espace');
  await page.getByRole('heading', { name: 'Connexion à votre compte' }).waitFor();

  // « Mot de passe oublié ? »
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await page.getByText('un e-mail contenant un lien').waitFor();
  await checkAccessibility(page, 'forgot password');
  const reset = await linkFrom(EMAIL, 'Réinitialisation');
  await page.goto(reset);
  await page.getByRole('textbox', { name: 'Nouveau mot de passe', exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirmer le nouveau mot de passe').fill(NEW_PASSWORD);
  await checkAccessibility(page, 'new password');
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await page.getByText('Votre mot de passe est changé').waitFor();
  await page.getByRole('link', { name: 'Se connecter' }).click();
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByLabel('Mot de passe').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Connexion' }).click();
  await page.getByRole('heading', { name: 'Bonjour Marie Durand' }).waitFor();
  assert.deepEqual(page.jsErrors.filter((e) => !/401|409/.test(e.message)), []);
  await page.context().close();
});

test('a wrong password is refused in French, and the staff admin logs in at /admin', async () => {
  const page = await newPage(browser);
  await page.goto(portal.baseUrl + '/');
  await page.getByLabel('Adresse e-mail').fill('personne@exemple.fr');
  await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Connexion' }).click();
  await page.getByText('Adresse e-mail ou mot de passe incorrect.').waitFor();

  await page.goto(portal.baseUrl + '/admin');
  await page.getByLabel('Adresse e-mail').fill(portal.adminEmail);
  await page.getByLabel('Mot de passe').fill(portal.adminPassword);
  await page.getByRole('button', { name: 'Connexion' }).click();
  await page.getByRole('heading', { name: 'Bonjour Administrateur de démonstration' }).waitFor();
  await page.getByRole('heading', { name: 'Le personnel' }).waitFor();
  await checkAccessibility(page, 'staff home');
  await screenshot(page, 'accounts-staff-home');
  await page.context().close();
});
