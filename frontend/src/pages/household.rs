//! « Mon foyer » — informations complémentaires.

use crate::components::Title;
use leptos::prelude::*;
use portail_domain::api::{ContactPerson, Household, SecondGuardian};
use portail_domain::dossier::{AllocationRegime, FamilySituation, InvoicePayer};
use portail_domain::parse::{Civility, FieldErrors};
use uuid::Uuid;

use crate::api::{self, use_family_session};
use crate::components::{
    Alert, AlertKind, Button, ButtonVariant, Checkbox, Loaded, RadioGroup, SelectField, TextField,
};
use crate::dom;

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (code(*v).to_owned(), label(*v).to_owned()))
        .collect()
}

#[component]
pub fn MyHousehold() -> impl IntoView {
    view! {
        <Title text="Mon foyer — Portail Famille" />
        <HouseholdLoader />
    }
}

#[component]
fn HouseholdLoader() -> impl IntoView {
    let session = use_family_session();
    let household = LocalResource::new(move || api::get_household(session));
    view! {
        <p><a href="/espace">"← Mon espace"</a></p>
        <h1>"Mon foyer"</h1>
        <p>"Informations complémentaires. Vous pouvez enregistrer à tout moment et revenir plus tard ; les champs marqués " <span aria-hidden="true">"*"</span> " sont nécessaires pour envoyer votre dossier."</p>
        <Loaded resource=household render=move |household| view! { <HouseholdForm household=household /> }.into_any() />
    }
}

#[derive(Clone, Copy)]
struct ContactRow {
    key: usize,
    id: Option<Uuid>,
    last_name: RwSignal<String>,
    first_name: RwSignal<String>,
    phone: RwSignal<String>,
    relationship: RwSignal<String>,
    emergency: RwSignal<bool>,
    pickup: RwSignal<bool>,
}

impl ContactRow {
    fn new(key: usize, c: ContactPerson) -> Self {
        Self {
            key,
            id: c.id,
            last_name: RwSignal::new(c.last_name),
            first_name: RwSignal::new(c.first_name),
            phone: RwSignal::new(c.phone),
            relationship: RwSignal::new(c.relationship),
            emergency: RwSignal::new(c.emergency_contact),
            pickup: RwSignal::new(c.can_pick_up),
        }
    }

    fn value(&self) -> ContactPerson {
        ContactPerson {
            id: self.id,
            last_name: self.last_name.get_untracked(),
            first_name: self.first_name.get_untracked(),
            phone: self.phone.get_untracked(),
            relationship: self.relationship.get_untracked(),
            emergency_contact: self.emergency.get_untracked(),
            can_pick_up: self.pickup.get_untracked(),
        }
    }
}

/// The « Situation du foyer » fields, one signal each.
#[derive(Clone, Copy)]
struct SituationFields {
    situation: RwSignal<String>,
    dependent: RwSignal<String>,
    regime: RwSignal<String>,
    beneficiary: RwSignal<String>,
    quotient: RwSignal<String>,
    quotient_year: RwSignal<String>,
    insurer: RwSignal<String>,
    policy: RwSignal<String>,
    payer: RwSignal<String>,
}

fn number_text<T: ToString>(n: Option<T>) -> RwSignal<String> {
    RwSignal::new(n.map(|n| n.to_string()).unwrap_or_default())
}

fn code_text(code: Option<&'static str>) -> RwSignal<String> {
    RwSignal::new(code.unwrap_or_default().to_owned())
}

/// A whole number typed in a field, or nothing; a word there is an error on `field`.
fn whole_number(field: &str, raw: String, e: &mut FieldErrors) -> Option<u32> {
    let raw = raw.trim().to_owned();
    if raw.is_empty() {
        return None;
    }
    raw.parse::<u32>()
        .map_err(|_| {
            e.push(
                field,
                portail_domain::parse::InvalidValue::invalid_format("Indiquez un nombre entier."),
            )
        })
        .ok()
}

impl SituationFields {
    fn new(household: &Household) -> Self {
        Self {
            situation: code_text(household.family_situation.map(FamilySituation::as_str)),
            dependent: number_text(household.dependent_children),
            regime: code_text(household.allocation_regime.map(AllocationRegime::as_str)),
            beneficiary: RwSignal::new(household.beneficiary_number.clone()),
            quotient: number_text(household.family_quotient),
            quotient_year: number_text(household.family_quotient_year),
            insurer: RwSignal::new(household.insurance_company.clone()),
            policy: RwSignal::new(household.insurance_policy_number.clone()),
            payer: code_text(household.invoice_payer.map(InvoicePayer::as_str)),
        }
    }

    /// Writes the fields into `household`; the numbers that are not numbers go to `e`.
    fn write(&self, household: &mut Household, e: &mut FieldErrors) {
        household.family_situation = FamilySituation::parse(&self.situation.get_untracked());
        household.dependent_children =
            whole_number("dependent_children", self.dependent.get_untracked(), e)
                .and_then(|n| u8::try_from(n).ok());
        household.allocation_regime = AllocationRegime::parse(&self.regime.get_untracked());
        household.beneficiary_number = self.beneficiary.get_untracked();
        household.family_quotient =
            whole_number("family_quotient", self.quotient.get_untracked(), e);
        household.family_quotient_year = whole_number(
            "family_quotient_year",
            self.quotient_year.get_untracked(),
            e,
        )
        .and_then(|n| i32::try_from(n).ok());
        household.insurance_company = self.insurer.get_untracked();
        household.insurance_policy_number = self.policy.get_untracked();
        household.invoice_payer = InvoicePayer::parse(&self.payer.get_untracked());
    }
}

/// The second legal guardian's fields, and whether there is one.
#[derive(Clone, Copy)]
struct SecondFields {
    present: RwSignal<bool>,
    civility: RwSignal<String>,
    last: RwSignal<String>,
    first: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    address: RwSignal<String>,
    profession: RwSignal<String>,
    employer: RwSignal<String>,
}

impl SecondFields {
    fn new(second: Option<&SecondGuardian>) -> Self {
        let s = second.cloned().unwrap_or_default();
        Self {
            present: RwSignal::new(second.is_some()),
            civility: code_text(s.civility.map(Civility::as_str)),
            last: RwSignal::new(s.last_name),
            first: RwSignal::new(s.first_name),
            phone: RwSignal::new(s.mobile_phone),
            email: RwSignal::new(s.email),
            address: RwSignal::new(s.address),
            profession: RwSignal::new(s.profession),
            employer: RwSignal::new(s.employer),
        }
    }

    fn value(&self) -> Option<SecondGuardian> {
        self.present.get_untracked().then(|| SecondGuardian {
            civility: Civility::parse(&self.civility.get_untracked()).ok(),
            last_name: self.last.get_untracked(),
            first_name: self.first.get_untracked(),
            birth_date: None,
            mobile_phone: self.phone.get_untracked(),
            email: self.email.get_untracked(),
            address: self.address.get_untracked(),
            profession: self.profession.get_untracked(),
            employer: self.employer.get_untracked(),
            work_phone: String::new(),
        })
    }
}

/// A field's error, from the form's errors.
fn error_of(errors: RwSignal<FieldErrors>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.message_for(field)))
}

#[component]
fn HouseholdForm(household: Household) -> impl IntoView {
    let session = use_family_session();
    let situation = SituationFields::new(&household);
    let second = SecondFields::new(household.second_guardian.as_ref());
    let next_key = StoredValue::new(household.contacts.len());
    let rows = RwSignal::new(
        household
            .contacts
            .iter()
            .cloned()
            .enumerate()
            .map(|(k, c)| ContactRow::new(k, c))
            .collect::<Vec<_>>(),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(None::<Result<(), String>>);

    let add_contact = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|r| {
            r.push(ContactRow::new(
                key,
                ContactPerson {
                    emergency_contact: true,
                    ..ContactPerson::default()
                },
            ))
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut local = FieldErrors::default();
        let mut value = Household::default();
        situation.write(&mut value, &mut local);
        value.second_guardian = second.value();
        value.contacts = rows.get_untracked().iter().map(ContactRow::value).collect();
        // Every field is written above; a field added to `Household` fails to compile here
        // rather than being sent empty, which would erase it.
        let Household {
            family_situation: _,
            dependent_children: _,
            allocation_regime: _,
            beneficiary_number: _,
            family_quotient: _,
            family_quotient_year: _,
            insurance_company: _,
            insurance_policy_number: _,
            invoice_payer: _,
            second_guardian: _,
            contacts: _,
        } = &value;
        // Numbers first (they are not sent when they are words), then the domain's rules.
        let checked = if local.is_empty() {
            value.validate(dom::today())
        } else {
            Err(local)
        };
        let value = match checked {
            Ok(value) => value,
            Err(e) => {
                errors.set(e);
                dom::focus_first_invalid();
                return;
            }
        };
        errors.set(FieldErrors::default());
        crate::task::spawn_busy(busy, async move {
            crate::form::settle(
                api::update_household(session, &value).await.map(|_| ()),
                errors,
                saved,
            );
            dom::focus_id("household-outcome");
        });
    };

    view! {
        <form on:submit=submit novalidate class="stack">
            <SituationSection fields=situation errors=errors />
            <SecondGuardianSection fields=second errors=errors />
            <section class="card" aria-labelledby="personnes">
                <h2 id="personnes">"Personnes à prévenir et personnes autorisées"</h2>
                <p class="fine-print">"Au moins une personne à prévenir en cas d'urgence est nécessaire."</p>
                <For each=move || rows.get() key=|row| row.key let:row>
                    <ContactFields row=row rows=rows errors=errors />
                </For>
                <Button variant=ButtonVariant::Secondary on_click=Callback::new(add_contact)>"+ Ajouter une personne"</Button>
            </section>
            <div id="household-outcome" tabindex="-1">
                {move || saved.get().map(|result| match result {
                    Ok(()) => view! { <Alert kind=AlertKind::Success><p>"Mon foyer est enregistré."</p></Alert> }.into_any(),
                    Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
                })}
            </div>
            <div class="btn-row">
                <Button submit=true busy=busy>"Enregistrer"</Button>
                <a href="/espace">"Retour à mon espace"</a>
            </div>
        </form>
    }
}

#[component]
fn SituationSection(fields: SituationFields, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let err = move |field: &'static str| error_of(errors, field);
    view! {
        <section class="card" aria-labelledby="situation">
            <h2 id="situation">"Situation du foyer"</h2>
            <SelectField id="family_situation" label="Situation familiale" required=true value=fields.situation error=err("family_situation")
                options=options(FamilySituation::ALL, FamilySituation::as_str, FamilySituation::label_fr) />
            <TextField id="dependent_children" label="Nombre d'enfants à charge" inputmode="numeric" required=true value=fields.dependent error=err("dependent_children") />
            <SelectField id="allocation_regime" label="Régime d'allocations familiales" required=true value=fields.regime error=err("allocation_regime")
                options=options(AllocationRegime::ALL, AllocationRegime::as_str, AllocationRegime::label_fr) />
            <TextField id="beneficiary_number" label="Numéro d'allocataire" hint="Pour la CAF ou la MSA." value=fields.beneficiary error=err("beneficiary_number") />
            <TextField id="family_quotient" label="Quotient familial (en euros)" inputmode="numeric" hint="Il figure sur votre attestation CAF. Sans attestation, le tarif le plus élevé s'applique." value=fields.quotient error=err("family_quotient") />
            <TextField id="family_quotient_year" label="Année de l'attestation" inputmode="numeric" value=fields.quotient_year error=err("family_quotient_year") />
            <TextField id="insurance_company" label="Assurance responsabilité civile : compagnie" required=true value=fields.insurer error=err("insurance_company") />
            <TextField id="insurance_policy_number" label="Numéro de contrat" required=true value=fields.policy error=err("insurance_policy_number") />
            <SelectField id="invoice_payer" label="Qui règle les factures ?" required=true value=fields.payer error=err("invoice_payer")
                options=options(InvoicePayer::ALL, InvoicePayer::as_str, InvoicePayer::label_fr) />
        </section>
    }
}

#[component]
fn SecondGuardianSection(fields: SecondFields, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let err = move |field: &'static str| error_of(errors, field);
    view! {
        <section class="card" aria-labelledby="second-responsable">
            <h2 id="second-responsable">"Second responsable légal"</h2>
            <Checkbox id="has_second_guardian" checked=fields.present>"Il y a un second responsable légal"</Checkbox>
            <Show when=move || fields.present.get()>
                <RadioGroup id="second_civility" legend="Civilité" options=vec![("madame", "Madame"), ("monsieur", "Monsieur")] value=fields.civility error=err("second_guardian.civility") />
                <TextField id="second_last_name" label="Nom" value=fields.last error=err("second_guardian.last_name") />
                <TextField id="second_first_name" label="Prénom" value=fields.first error=err("second_guardian.first_name") />
                <TextField id="second_phone" label="Téléphone portable" input_type="tel" value=fields.phone error=err("second_guardian.mobile_phone") />
                <TextField id="second_email" label="Adresse e-mail" input_type="email" value=fields.email error=err("second_guardian.email") />
                <TextField id="second_address" label="Adresse" hint="Laissez vide si c'est la même que la vôtre." value=fields.address error=err("second_guardian.address") />
                <TextField id="second_profession" label="Profession" value=fields.profession error=err("second_guardian.profession") />
                <TextField id="second_employer" label="Employeur" value=fields.employer error=err("second_guardian.employer") />
            </Show>
        </section>
    }
}

#[component]
fn ContactFields(
    row: ContactRow,
    rows: RwSignal<Vec<ContactRow>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let index = move || rows.with(|r| r.iter().position(|x| x.key == row.key).unwrap_or(0));
    let err = move |name: &'static str| {
        Signal::derive(move || {
            errors.with(|e| e.message_for(&format!("contacts.{}.{name}", index())))
        })
    };
    let id = |name: &str| format!("contact-{}-{name}", row.key);
    let remove = move |_| rows.update(|r| r.retain(|x| x.key != row.key));
    view! {
        <fieldset class="row-card">
            <legend class="visually-hidden">{move || format!("Personne {}", index() + 1)}</legend>
            <div class="row-card__head">
                <strong>{move || format!("Personne {}", index() + 1)}</strong>
                <button type="button" class="btn btn--danger btn--small" on:click=remove>
                    "Retirer" <span class="visually-hidden">{move || format!(" la personne {}", index() + 1)}</span>
                </button>
            </div>
            <TextField id=id("last_name") label="Nom" required=true value=row.last_name error=err("last_name") />
            <TextField id=id("first_name") label="Prénom" required=true value=row.first_name error=err("first_name") />
            <TextField id=id("phone") label="Téléphone" input_type="tel" required=true value=row.phone error=err("phone") />
            <TextField id=id("relationship") label="Lien avec l'enfant" hint="Grand-mère, voisin, nourrice…" value=row.relationship error=err("relationship") />
            <Checkbox id=id("emergency") checked=row.emergency error=err("emergency_contact")>"À prévenir en cas d'urgence"</Checkbox>
            <Checkbox id=id("pickup") checked=row.pickup>"Autorisée à venir chercher les enfants"</Checkbox>
        </fieldset>
    }
}
