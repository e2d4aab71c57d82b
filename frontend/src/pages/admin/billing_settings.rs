//! Billing's settings (administrators): the commune's postal codes, address, due day and
//! blocking threshold; the crèche's PSU parameters by date. And, in a family's file, the
//! household's resources for the crèche (its agents).

use leptos::prelude::*;
use portail_domain::api::{BillingSettings, HouseholdResourcesRequest, PsuParametersRequest};
use portail_domain::format::{euros, numeric_date};
use portail_domain::parse::{FieldErrors, InvalidValue, parse_euros};
use portail_domain::rules::billing::psu::RATES_2026_PPM;
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{Checkbox, Loaded, Outcome, Submit, TextField};
use crate::dom;

fn plain_euros(cents: i64) -> String {
    euros(cents)
        .replace('\u{a0}', "")
        .trim_end_matches('€')
        .to_owned()
}

/// An amount field: empty is `None`; otherwise euros, or the field's error.
fn optional_euros(e: &mut FieldErrors, field: &str, text: &str) -> Option<Option<i64>> {
    if text.trim().is_empty() {
        return Some(None);
    }
    e.check(field, parse_euros(text)).map(Some)
}

#[component]
pub fn BillingSettingsForm() -> impl IntoView {
    let session = use_staff_session();
    let loaded = LocalResource::new(move || api::get_billing_settings(session));
    view! {
        <section class="card section stack" aria-labelledby="facturation-reglages">
            <h2 id="facturation-reglages">"Facturation"</h2>
            <Loaded resource=loaded render=move |settings| view! { <BillingSettingsFields settings=settings /> }.into_any() />
            <PsuParametersForm />
        </section>
    }
}

#[component]
fn BillingSettingsFields(settings: BillingSettings) -> impl IntoView {
    let session = use_staff_session();
    let postal_codes = RwSignal::new(settings.postal_codes.join(", "));
    let address = RwSignal::new(settings.address);
    let due_day = RwSignal::new(settings.invoice_due_day.to_string());
    let threshold = RwSignal::new(
        settings
            .blocking_threshold_cents
            .map(plain_euros)
            .unwrap_or_default(),
    );
    let siret = RwSignal::new(portail_domain::parse::siret_grouped(&settings.siret));
    let iban = RwSignal::new(portail_domain::parse::iban_grouped(&settings.iban));
    let bic = RwSignal::new(settings.bic);
    let creditor_id = RwSignal::new(settings.creditor_id);
    let contact = RwSignal::new(settings.contact);
    let errors = RwSignal::new(FieldErrors::default());
    let err = move |field: &'static str| Signal::derive(move || errors.get().message_for(field));
    let sending = Submit::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let blocking = optional_euros(
            &mut e,
            "blocking_threshold_cents",
            &threshold.get_untracked(),
        );
        let day =
            e.check(
                "invoice_due_day",
                due_day.get_untracked().trim().parse::<u32>().map_err(|_| {
                    InvalidValue::new("invalid_format", "Un jour du mois, de 1 à 28.")
                }),
            );
        let request = BillingSettings {
            postal_codes: postal_codes
                .get_untracked()
                .split([',', ' ', ';'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            address: address.get_untracked(),
            invoice_due_day: day.unwrap_or(0),
            blocking_threshold_cents: blocking.flatten(),
            siret: siret.get_untracked(),
            iban: iban.get_untracked(),
            bic: bic.get_untracked(),
            creditor_id: creditor_id.get_untracked(),
            contact: contact.get_untracked(),
        };
        if let (Some(_), Some(_)) = (day, blocking)
            && let Err(more) = request.validate()
        {
            e.extend(more);
        }
        let ok = e.is_empty();
        errors.set(e);
        if !ok {
            dom::focus_first_invalid();
            return;
        }
        sending.run(
            async move { api::set_billing_settings(session, &request).await },
            |_| "Les réglages de facturation sont enregistrés.".to_owned(),
        );
    };
    view! {
        <form class="stack" on:submit=submit novalidate=true>
            <div class="grid-2">
                <TextField id="billing-postal-codes" label="Codes postaux de la commune (tarif résident)" value=postal_codes error=err("postal_codes") hint="Séparés par des virgules : 03000" />
                <TextField id="billing-address" label="Adresse de la mairie (sur les factures)" value=address error=err("address") />
                <TextField id="billing-due-day" label="Jour d'échéance, le mois suivant" value=due_day inputmode="numeric" required=true error=err("invoice_due_day") />
                <TextField id="billing-threshold" label="Bloquer les réservations au-delà de (€ d'impayés échus)" value=threshold inputmode="decimal" error=err("blocking_threshold_cents") hint="Laisser vide : jamais" />
                <TextField id="billing-siret" label="SIRET de la commune (sur les factures)" value=siret inputmode="numeric" error=err("siret") />
                <TextField id="billing-contact" label="Contact pour une question sur une facture" value=contact error=err("contact") hint="Téléphone, adresse e-mail : sur une ligne" />
                <TextField id="billing-iban" label="IBAN du compte où payer par virement" value=iban error=err("iban") hint="Laisser vide : le virement n'est pas proposé" />
                <TextField id="billing-bic" label="BIC" value=bic error=err("bic") />
                <TextField id="billing-ics" label="Identifiant créancier SEPA (ICS)" value=creditor_id error=err("creditor_id")
                    hint="Pour proposer le prélèvement automatique aux familles (par exemple FR72ZZZ123456) ; vide : pas de prélèvement." />
            </div>
            <button type="submit" class="btn btn--primary" disabled=move || sending.busy.get()>"Enregistrer les réglages de facturation"</button>
            <Outcome said=sending.said />
        </form>
    }
}

#[component]
fn PsuParametersForm() -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        api::list_psu_parameters(session)
    });
    let from = RwSignal::new(String::new());
    let floor = RwSignal::new(String::new());
    let ceiling = RwSignal::new("8500".to_owned());
    let errors = RwSignal::new(FieldErrors::default());
    let err = move |field: &'static str| Signal::derive(move || errors.get().message_for(field));
    let sending = Submit::bumping(version);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let valid_from = from.get_untracked().parse().ok();
        if valid_from.is_none() {
            e.push(
                "valid_from",
                InvalidValue::new("required", "Indiquez la date d'effet."),
            );
        }
        let floor_cents = e.check("floor_cents", parse_euros(&floor.get_untracked()));
        let ceiling_cents = e.check("ceiling_cents", parse_euros(&ceiling.get_untracked()));
        let (Some(valid_from), Some(floor_cents), Some(ceiling_cents)) =
            (valid_from, floor_cents, ceiling_cents)
        else {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        };
        let request = PsuParametersRequest {
            valid_from,
            floor_cents,
            ceiling_cents,
            rates_ppm: RATES_2026_PPM,
        };
        if let Err(more) = request.validate() {
            e.extend(more);
        }
        let ok = e.is_empty();
        errors.set(e);
        if !ok {
            dom::focus_first_invalid();
            return;
        }
        sending.run(
            async move { api::set_psu_parameters(session, &request).await },
            |_| "Les paramètres PSU sont enregistrés.".to_owned(),
        );
    };
    view! {
        <h3>"Crèche : paramètres PSU (barème CNAF)"</h3>
        <Loaded resource=list render=move |list| view! {
                    <ul>{list.items.into_iter().map(|p| view! {
                        <li>{format!("À partir du {} : plancher {}, plafond {} de ressources mensuelles", numeric_date(p.valid_from), euros(p.floor_cents), euros(p.ceiling_cents))}</li>
                    }).collect_view()}</ul>
                }.into_any() />
        <form class="stack" on:submit=submit novalidate=true>
            <p class="muted">"Taux d'effort du barème 2026 : 0,0619 % (1 enfant), 0,0516 % (2), 0,0413 % (3), 0,0310 % (4 à 7), 0,0206 % (8 et plus). Le plancher est révisé chaque janvier."</p>
            <div class="grid-2">
                <TextField id="psu-from" label="À partir du" input_type="date" value=from required=true error=err("valid_from") />
                <TextField id="psu-floor" label="Plancher mensuel (€)" value=floor inputmode="decimal" required=true error=err("floor_cents") />
                <TextField id="psu-ceiling" label="Plafond mensuel (€)" value=ceiling inputmode="decimal" required=true error=err("ceiling_cents") />
            </div>
            <button type="submit" class="btn btn--primary" disabled=move || sending.busy.get()>"Enregistrer les paramètres PSU"</button>
            <Outcome said=sending.said />
        </form>
    }
}

/// The household's resources (N-2 income / 12) and the AEEH, for the crèche's hourly rate.
#[component]
pub fn HouseholdResources(family_id: Uuid) -> impl IntoView {
    let session = use_staff_session();
    let loaded = LocalResource::new(move || api::get_household_resources(session, family_id));
    view! {
        <Transition fallback=|| ()>
            {move || loaded.get().and_then(Result::ok).map(|r| view! { <ResourcesForm family_id=family_id resources=r /> })}
        </Transition>
    }
}

#[component]
fn ResourcesForm(family_id: Uuid, resources: HouseholdResourcesRequest) -> impl IntoView {
    let session = use_staff_session();
    let amount = RwSignal::new(
        resources
            .resources_cents
            .map(plain_euros)
            .unwrap_or_default(),
    );
    let year = RwSignal::new(
        resources
            .resources_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
    );
    let aeeh = RwSignal::new(resources.aeeh);
    let errors = RwSignal::new(FieldErrors::default());
    let err = move |field: &'static str| Signal::derive(move || errors.get().message_for(field));
    let sending = Submit::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let cents = optional_euros(&mut e, "resources_cents", &amount.get_untracked());
        let resources_year = match year.get_untracked().trim() {
            "" => Some(None),
            text => e
                .check(
                    "resources_year",
                    text.parse::<i32>()
                        .map_err(|_| InvalidValue::new("invalid_format", "Une année : 2024.")),
                )
                .map(Some),
        };
        let (Some(resources_cents), Some(resources_year)) = (cents, resources_year) else {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        };
        let request = HouseholdResourcesRequest {
            resources_cents,
            resources_year,
            aeeh: aeeh.get_untracked(),
        };
        if let Err(more) = request.validate() {
            e.extend(more);
        }
        let ok = e.is_empty();
        errors.set(e);
        if !ok {
            dom::focus_first_invalid();
            return;
        }
        sending.run(
            async move { api::set_household_resources(session, family_id, &request).await },
            |_| "Les ressources du foyer sont enregistrées.".to_owned(),
        );
    };
    view! {
        <section class="card section" aria-labelledby="ressources">
            <h2 id="ressources">"Ressources du foyer (crèche)"</h2>
            <form class="stack" on:submit=submit novalidate=true>
                <div class="grid-2">
                    <TextField id="resources-amount" label="Ressources mensuelles (€, revenus N-2 / 12)" value=amount inputmode="decimal" error=err("resources_cents") hint="Vide : le plafond s'applique" />
                    <TextField id="resources-year" label="Année des revenus" value=year inputmode="numeric" error=err("resources_year") />
                </div>
                <Checkbox id="resources-aeeh" checked=aeeh>"Un enfant de la famille perçoit l'AEEH (compte pour un enfant de plus)"</Checkbox>
                <button type="submit" class="btn btn--primary" disabled=move || sending.busy.get()>"Enregistrer les ressources"</button>
                <Outcome said=sending.said />
            </form>
        </section>
    }
}
