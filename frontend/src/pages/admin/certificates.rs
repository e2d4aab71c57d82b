//! « Attestations fiscales » on « Facturation » (the treasury): a year ended, how many
//! children's care was paid and how much, and every attestation in one PDF to print or send.

use chrono::Datelike as _;
use leptos::prelude::*;
use portail_domain::api::FiscalCertificateListResponse;
use portail_domain::format::{count, euros};

use crate::api::{self, use_staff_session};
use crate::components::{ErrorAlert, Loaded, SelectField};
use crate::dom;

#[component]
pub fn FiscalCertificates() -> impl IntoView {
    let session = use_staff_session();
    let last = dom::today().year().saturating_sub(1);
    let year = RwSignal::new(last.to_string());
    let list = LocalResource::new(move || {
        let year = year.get();
        async move {
            session
                .get::<FiscalCertificateListResponse>(&format!(
                    "/api/v1/staff/certificates/fiscal/{year}"
                ))
                .await
        }
    });
    let failure = RwSignal::new(None::<api::ApiError>);
    let download = move |_| {
        failure.set(None);
        let year = year.get_untracked();
        leptos::task::spawn_local(async move {
            match session
                .blob_url(&format!("/api/v1/staff/certificates/fiscal/{year}/pdf"))
                .await
            {
                Ok(url) => dom::save_as(&url, &format!("attestations-fiscales-{year}.pdf")),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let years: Vec<(String, String)> = (0..3)
        .map(|back| last.saturating_sub(back).to_string())
        .map(|y| (y.clone(), y))
        .collect();
    view! {
        <section class="section stack" aria-labelledby="attestations">
            <h2 id="attestations">"Attestations fiscales"</h2>
            <p>"Frais de garde des enfants de moins de 6 ans : ce que chaque famille a payé dans l'année pour la crèche et l'accueil de loisirs (repas exclus). Les familles les téléchargent aussi depuis «\u{a0}Mes factures\u{a0}»."</p>
            <SelectField id="annee-attestations" label="Année" options=years value=year />
            <Loaded resource=list render=move |list| {
                let n = list.certificates;
                view! {
                    <p>{format!("{} pour {} payés.", count(n, "attestation", "attestations"), euros(list.total_cents))}</p>
                    {(n > 0).then(|| view! {
                        <button type="button" class="btn btn--secondary" on:click=download>"Télécharger toutes les attestations (PDF)"</button>
                    })}
                }.into_any()
            } />
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
        </section>
    }
}
