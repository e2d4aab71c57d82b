//! « Mon foyer » — informations complémentaires.

use crate::components::Title;
use leptos::prelude::*;
use portail_domain::api::{ContactPerson, Household, SecondGuardian};
use portail_domain::dossier::{AllocationRegime, FamilySituation, InvoicePayer};
use portail_domain::parse::{Civility, FieldErrors};
use uuid::Uuid;

use crate::api::{self, use_family_session};
use crate::components::{
    Alert, AlertKind, Button, ButtonVariant, Checkbox, ErrorAlert, RadioGroup, SelectField,
    TextField,
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
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || household.get().map(|result| match result {
                Ok(household) => view! { <HouseholdForm household=household /> }.into_any(),
                Err(error) => view! { <ErrorAlert error=error /> }.into_any(),
            })}
        </Suspense>
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

#[component]
fn HouseholdForm(household: Household) -> impl IntoView {
    let session = use_family_session();
    let text = |v: String| RwSignal::new(v);
    let code = |v: Option<&'static str>| RwSignal::new(v.unwrap_or_default().to_owned());
    let situation = code(household.family_situation.map(FamilySituation::as_str));
    let dependent = text(
        household
            .dependent_children
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let regime = code(household.allocation_regime.map(AllocationRegime::as_str));
    let beneficiary = text(household.beneficiary_number);
    let quotient = text(
        household
            .family_quotient
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let quotient_year = text(
        household
            .family_quotient_year
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let insurer = text(household.insurance_company);
    let policy = text(household.insurance_policy_number);
    let payer = code(household.invoice_payer.map(InvoicePayer::as_str));
    let second = household.second_guardian.clone().unwrap_or_default();
    let has_second = RwSignal::new(household.second_guardian.is_some());
    let s_civility = code(second.civility.map(Civility::as_str));
    let s_last = text(second.last_name);
    let s_first = text(second.first_name);
    let s_phone = text(second.mobile_phone);
    let s_email = text(second.email);
    let s_address = text(second.address);
    let s_profession = text(second.profession);
    let s_employer = text(second.employer);
    let next_key = StoredValue::new(household.contacts.len());
    let rows = RwSignal::new(
        household
            .contacts
            .into_iter()
            .enumerate()
            .map(|(k, c)| ContactRow::new(k, c))
            .collect::<Vec<_>>(),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(None::<Result<(), String>>);
    let err = move |field: String| Signal::derive(move || errors.with(|e| e.message_for(&field)));
    let number_error = RwSignal::new(FieldErrors::default());

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
        let number = |field: &str, raw: String, e: &mut FieldErrors| -> Option<u32> {
            let raw = raw.trim().to_owned();
            if raw.is_empty() {
                return None;
            }
            raw.parse::<u32>()
                .map_err(|_| {
                    e.push(
                        field,
                        portail_domain::parse::InvalidValue::invalid_format(
                            "Indiquez un nombre entier.",
                        ),
                    )
                })
                .ok()
        };
        let dependent_children =
            number("dependent_children", dependent.get_untracked(), &mut local)
                .and_then(|n| u8::try_from(n).ok());
        let family_quotient = number("family_quotient", quotient.get_untracked(), &mut local);
        let family_quotient_year = number(
            "family_quotient_year",
            quotient_year.get_untracked(),
            &mut local,
        )
        .and_then(|n| i32::try_from(n).ok());
        if !local.is_empty() {
            number_error.set(local.clone());
            errors.set(local);
            dom::focus_first_invalid();
            return;
        }
        let value = Household {
            family_situation: FamilySituation::parse(&situation.get_untracked()),
            dependent_children,
            allocation_regime: AllocationRegime::parse(&regime.get_untracked()),
            beneficiary_number: beneficiary.get_untracked(),
            family_quotient,
            family_quotient_year,
            insurance_company: insurer.get_untracked(),
            insurance_policy_number: policy.get_untracked(),
            invoice_payer: InvoicePayer::parse(&payer.get_untracked()),
            second_guardian: has_second.get_untracked().then(|| SecondGuardian {
                civility: Civility::parse(&s_civility.get_untracked()).ok(),
                last_name: s_last.get_untracked(),
                first_name: s_first.get_untracked(),
                birth_date: None,
                mobile_phone: s_phone.get_untracked(),
                email: s_email.get_untracked(),
                address: s_address.get_untracked(),
                profession: s_profession.get_untracked(),
                employer: s_employer.get_untracked(),
                work_phone: String::new(),
            }),
            contacts: rows.get_untracked().iter().map(ContactRow::value).collect(),
        };
        let checked = value.validate(dom::today());
        let value = match checked {
            Ok(value) => value,
            Err(e) => {
                errors.set(e);
                dom::focus_first_invalid();
                return;
            }
        };
        errors.set(FieldErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::update_household(session, &value).await {
                Ok(_) => saved.set(Some(Ok(()))),
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => saved.set(Some(Err(e.message()))),
            }
            busy.set(false);
            dom::focus_id("household-outcome");
        });
    };

    view! {
        <form on:submit=submit novalidate class="stack">
            <section class="card" aria-labelledby="situation">
                <h2 id="situation">"Situation du foyer"</h2>
                <SelectField id="family_situation" label="Situation familiale" required=true value=situation error=err("family_situation".into())
                    options=options(FamilySituation::ALL, FamilySituation::as_str, FamilySituation::label_fr) />
                <TextField id="dependent_children" label="Nombre d'enfants à charge" inputmode="numeric" required=true value=dependent error=err("dependent_children".into()) />
                <SelectField id="allocation_regime" label="Régime d'allocations familiales" required=true value=regime error=err("allocation_regime".into())
                    options=options(AllocationRegime::ALL, AllocationRegime::as_str, AllocationRegime::label_fr) />
                <TextField id="beneficiary_number" label="Numéro d'allocataire" hint="Pour la CAF ou la MSA." value=beneficiary error=err("beneficiary_number".into()) />
                <TextField id="family_quotient" label="Quotient familial (en euros)" inputmode="numeric" hint="Il figure sur votre attestation CAF. Sans attestation, le tarif le plus élevé s'applique." value=quotient error=err("family_quotient".into()) />
                <TextField id="family_quotient_year" label="Année de l'attestation" inputmode="numeric" value=quotient_year error=err("family_quotient_year".into()) />
                <TextField id="insurance_company" label="Assurance responsabilité civile : compagnie" required=true value=insurer error=err("insurance_company".into()) />
                <TextField id="insurance_policy_number" label="Numéro de contrat" required=true value=policy error=err("insurance_policy_number".into()) />
                <SelectField id="invoice_payer" label="Qui règle les factures ?" required=true value=payer error=err("invoice_payer".into())
                    options=options(InvoicePayer::ALL, InvoicePayer::as_str, InvoicePayer::label_fr) />
            </section>
            <section class="card" aria-labelledby="second-responsable">
                <h2 id="second-responsable">"Second responsable légal"</h2>
                <Checkbox id="has_second_guardian" checked=has_second>"Il y a un second responsable légal"</Checkbox>
                <Show when=move || has_second.get()>
                    <RadioGroup id="second_civility" legend="Civilité" options=vec![("madame", "Madame"), ("monsieur", "Monsieur")] value=s_civility error=err("second_guardian.civility".into()) />
                    <TextField id="second_last_name" label="Nom" value=s_last error=err("second_guardian.last_name".into()) />
                    <TextField id="second_first_name" label="Prénom" value=s_first error=err("second_guardian.first_name".into()) />
                    <TextField id="second_phone" label="Téléphone portable" input_type="tel" value=s_phone error=err("second_guardian.mobile_phone".into()) />
                    <TextField id="second_email" label="Adresse e-mail" input_type="email" value=s_email error=err("second_guardian.email".into()) />
                    <TextField id="second_address" label="Adresse" hint="Laissez vide si c'est la même que la vôtre." value=s_address error=err("second_guardian.address".into()) />
                    <TextField id="second_profession" label="Profession" value=s_profession error=err("second_guardian.profession".into()) />
                    <TextField id="second_employer" label="Employeur" value=s_employer error=err("second_guardian.employer".into()) />
                </Show>
            </section>
            <section class="card" aria-labelledby="personnes">
                <h2 id="personnes">"Personnes à prévenir et personnes autorisées"</h2>
                <p class="fine-print">"Au moins une personne à prévenir en cas d'urgence est nécessaire."</p>
                <For each=move || rows.get() key=|row| row.key let:row>
                    <ContactFields row=row rows=rows errors=errors />
                </For>
                <Button variant=ButtonVariant::Secondary on:click=add_contact>"+ Ajouter une personne"</Button>
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
