//! « Mes attestations »: the attestation fiscale of a year ended (what was paid for the care of
//! each child under six, meals excluded), and the attestation de présence of a child in a
//! service over chosen dates; both downloaded as PDFs. Part of the registration bundle (asked
//! for once or twice a year): app::inscription.

use chrono::Datelike as _;
use leptos::prelude::*;
use portail_domain::api::{
    AttendanceCertificateResponse, BookableService, ChildResponse, FiscalCertificateResponse,
};
use portail_domain::format::{count, date_fr, euros, numeric_date};
use portail_domain::parse::{FieldErrors, InvalidValue};

use crate::api::{self, use_family_session};
use crate::components::{Button, ButtonVariant, ErrorAlert, Loaded, SelectField, TextField, Title};
use crate::dom;

#[component]
pub fn MyCertificates() -> impl IntoView {
    let session = use_family_session();
    let setup = LocalResource::new(move || async move {
        let children = api::list_children(session).await?.items;
        let services = api::list_services().await?.items;
        Ok::<_, api::ApiError>((children, services))
    });
    view! {
        <Title text="Mes attestations — Portail Famille" />
        <p><a href="/mes-factures">"← Mes factures"</a></p>
        <h1>"Mes attestations"</h1>
        <FiscalSection />
        <Loaded resource=setup render=move |(children, services)| view! { <AttendanceSection children=children services=services /> }.into_any() />
    }
}

/// Fetches a PDF with the session and saves it, or says why it could not.
fn download(
    session: api::Session,
    path: String,
    filename: String,
    failure: RwSignal<Option<api::ApiError>>,
) {
    failure.set(None);
    leptos::task::spawn_local(async move {
        match api::document_blob_url(session, &path).await {
            Ok(url) => dom::save_as(&url, &filename),
            Err(e) => failure.set(Some(e)),
        }
    });
}

#[component]
fn FiscalSection() -> impl IntoView {
    let session = use_family_session();
    let last = dom::today().year().saturating_sub(1);
    let year = RwSignal::new(last.to_string());
    let certificate = LocalResource::new(move || {
        let year = year.get();
        async move {
            session
                .get::<FiscalCertificateResponse>(&format!("/api/v1/certificates/fiscal/{year}"))
                .await
        }
    });
    let years: Vec<(String, String)> = (0..3)
        .map(|back| last.saturating_sub(back).to_string())
        .map(|y| (y.clone(), y))
        .collect();
    view! {
        <section class="card stack" aria-labelledby="fiscale">
            <h2 id="fiscale">"Attestation fiscale — frais de garde"</h2>
            <p>"Pour votre déclaration de revenus : ce que vous avez payé dans l'année pour la garde (crèche, accueil de loisirs) de chaque enfant de moins de 6 ans au 1er janvier. Les repas sont exclus. L'attestation d'une année est disponible à partir du 1er janvier suivant."</p>
            <SelectField id="annee" label="Année" options=years value=year />
            <Loaded resource=certificate render=move |c| view! { <FiscalChildren certificate=c /> }.into_any() />
        </section>
    }
}

#[component]
fn FiscalChildren(certificate: FiscalCertificateResponse) -> impl IntoView {
    let session = use_family_session();
    let failure = RwSignal::new(None::<api::ApiError>);
    let year = certificate.year;
    if certificate.children.is_empty() {
        return view! { <p>{format!("Aucun enfant de moins de 6 ans au 1er janvier {year} : pas d'attestation fiscale pour cette année.")}</p> }.into_any();
    }
    view! {
        <ul class="stack" role="list">
            {certificate.children.into_iter().map(|c| {
                let path = format!("/api/v1/certificates/fiscal/{year}/children/{}/pdf", c.child_id);
                let filename = format!("attestation-fiscale-{year}-{}.pdf", c.first_name.to_lowercase());
                let services = c.by_service.iter().map(|s| format!("{} : {}", s.service_name, euros(s.amount_cents))).collect::<Vec<_>>().join(" · ");
                view! {
                    <li class="stack">
                        <p><strong>{format!("{} — {} payés en {year}", c.first_name, euros(c.amount_cents))}</strong></p>
                        {(!services.is_empty()).then(|| view! { <p class="fine-print">{services}</p> })}
                        <p><button type="button" class="btn btn--secondary btn--small" on:click=move |_| download(session, path.clone(), filename.clone(), failure)>
                            "Télécharger l'attestation (PDF)" <span class="visually-hidden">{format!(" {}", portail_domain::format::de(&c.first_name))}</span>
                        </button></p>
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
    }
    .into_any()
}

/// The attendance certificate's query string, or the dates' errors.
fn attendance_query(
    child: &str,
    service: &str,
    from: &str,
    to: &str,
) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::default();
    let mut date = |field: &str, raw: &str| {
        let parsed = portail_domain::api::wire::parse_date(raw.trim());
        if parsed.is_none() {
            e.push(
                field,
                InvalidValue::new("invalid_value", "Indiquez une date."),
            );
        }
        parsed
    };
    let (start, end) = (date("from", from), date("to", to));
    match (start, end) {
        (Some(start), Some(end)) => Ok(format!(
            "child_id={child}&service={service}&from={start}&to={end}"
        )),
        _ => Err(e),
    }
}

#[component]
fn AttendanceSection(
    children: Vec<ChildResponse>,
    services: Vec<BookableService>,
) -> impl IntoView {
    let session = use_family_session();
    let child = RwSignal::new(
        children
            .first()
            .map(|c| c.id.to_string())
            .unwrap_or_default(),
    );
    let service = RwSignal::new(
        services
            .first()
            .map(|s| s.code.as_str().to_owned())
            .unwrap_or_default(),
    );
    let today = dom::today();
    let from = RwSignal::new(
        today
            .with_day(1)
            .and_then(|d| d.pred_opt())
            .and_then(|d| d.with_day(1))
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let to = RwSignal::new(today.to_string());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<api::ApiError>);
    let answer = RwSignal::new(None::<(AttendanceCertificateResponse, String)>);
    let busy = RwSignal::new(false);
    let ask = move || {
        failure.set(None);
        answer.set(None);
        let query = match attendance_query(
            &child.get_untracked(),
            &service.get_untracked(),
            &from.get_untracked(),
            &to.get_untracked(),
        ) {
            Ok(query) => query,
            Err(e) => {
                errors.set(e);
                dom::focus_first_invalid();
                return;
            }
        };
        errors.set(FieldErrors::default());
        crate::task::spawn_busy(busy, async move {
            match session
                .get::<AttendanceCertificateResponse>(&format!(
                    "/api/v1/certificates/attendance?{query}"
                ))
                .await
            {
                Ok(found) => {
                    answer.set(Some((found, query)));
                    dom::focus_id("presence-resultat");
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let child_options: Vec<(String, String)> = children
        .iter()
        .map(|c| (c.id.to_string(), c.details.first_name.clone()))
        .collect();
    let service_options: Vec<(String, String)> = services
        .iter()
        .map(|s| (s.code.as_str().to_owned(), s.name.clone()))
        .collect();
    view! {
        <section class="card stack" aria-labelledby="presence">
            <h2 id="presence">"Attestation de présence"</h2>
            <p>"Les jours où votre enfant a été accueilli dans un service, pour votre employeur ou la CAF."</p>
            <form class="stack" novalidate on:submit=move |ev| { ev.prevent_default(); ask(); }>
                <SelectField id="presence-enfant" label="Enfant" options=child_options value=child />
                <SelectField id="presence-service" label="Service" options=service_options value=service />
                <TextField id="from" label="Du" input_type="date" value=from error=error("from") />
                <TextField id="to" label="Au" input_type="date" value=to error=error("to") hint="400 jours au plus." />
                <div class="btn-row">
                    <Button submit=true busy=busy variant=ButtonVariant::Secondary>"Voir les jours de présence"</Button>
                </div>
            </form>
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
            <div id="presence-resultat" tabindex="-1" role="status">
                {move || answer.get().map(|(a, query)| view! { <Attended answer=a query=query /> })}
            </div>
        </section>
    }
}

#[component]
fn Attended(answer: AttendanceCertificateResponse, query: String) -> impl IntoView {
    let session = use_family_session();
    let failure = RwSignal::new(None::<api::ApiError>);
    let days = answer.days.len();
    let summary = format!(
        "{} — {} : {} de présence du {} au {}.",
        answer.child_name,
        answer.service_name,
        count(u64::try_from(days).unwrap_or(0), "jour", "jours"),
        numeric_date(answer.from),
        numeric_date(answer.to),
    );
    let path = format!("/api/v1/certificates/attendance/pdf?{query}");
    let filename = format!("attestation-presence-{}-{}.pdf", answer.from, answer.to);
    view! {
        <p><strong>{summary}</strong></p>
        <ul class="fine-print">
            {answer.days.into_iter().map(|d| view! { <li>{format!("{} — {}", date_fr(d.date), d.units.join(", "))}</li> }).collect_view()}
        </ul>
        <p><button type="button" class="btn btn--primary btn--small" on:click=move |_| download(session, path.clone(), filename.clone(), failure)>
            "Télécharger l'attestation de présence (PDF)"
        </button></p>
        {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
    }
}
