//! « Prélèvement automatique » (issue 24, point 4): the family's SEPA mandate — read (its IBAN
//! masked), downloaded as a PDF, revoked — or signed online (holder, IBAN, the mandate's text
//! accepted). Part of the registration bundle (signed once): app::inscription.

use leptos::prelude::*;
use portail_domain::api::{MandateRequest, MandateResponse, MyDirectDebit};
use portail_domain::format::date_fr;
use portail_domain::parse::FieldErrors;

use crate::api::{self, use_family_session};
use crate::components::{
    Alert, AlertKind, Button, ButtonVariant, Checkbox, ErrorAlert, Loaded, TextField, Title,
};
use crate::dom;

#[component]
pub fn MyDirectDebitPage() -> impl IntoView {
    let session = use_family_session();
    let version = RwSignal::new(0_u32);
    let data = LocalResource::new(move || {
        version.track();
        async move { session.get::<MyDirectDebit>("/api/v1/direct-debit").await }
    });
    view! {
        <Title text="Prélèvement automatique — Portail Famille" />
        <p><a href="/mes-factures">"← Mes factures"</a></p>
        <h1>"Prélèvement automatique"</h1>
        <Loaded resource=data render=move |d| view! { <DirectDebit data=d version=version /> }.into_any() />
    }
}

#[component]
fn DirectDebit(data: MyDirectDebit, version: RwSignal<u32>) -> impl IntoView {
    if !data.offered {
        return view! { <p>"La commune ne propose pas le prélèvement automatique : payez vos factures en ligne ou auprès de la mairie."</p> }.into_any();
    }
    let has_mandate = data.mandate.is_some();
    view! {
        <p>"Vos factures sont prélevées sur votre compte à leur échéance ; vous êtes prévenu par e-mail si un prélèvement est rejeté."</p>
        {data.mandate.map(|m| view! { <CurrentMandate mandate=m version=version /> })}
        <SignMandate text=data.mandate_text replacing=has_mandate version=version />
    }
    .into_any()
}

#[component]
fn CurrentMandate(mandate: MandateResponse, version: RwSignal<u32>) -> impl IntoView {
    let session = use_family_session();
    let failure = RwSignal::new(None::<api::ApiError>);
    let busy = RwSignal::new(false);
    let filename = format!("mandat-{}.pdf", mandate.reference);
    let download = move |_| {
        failure.set(None);
        let filename = filename.clone();
        leptos::task::spawn_local(async move {
            match session.blob_url("/api/v1/direct-debit/mandate/pdf").await {
                Ok(url) => dom::save_as(&url, &filename),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let revoke = move |_| {
        if !dom::confirm(
            "Révoquer ce mandat ? Vos prochaines factures ne seront plus prélevées ; celles déjà transmises à la banque le seront.",
        ) {
            return;
        }
        failure.set(None);
        crate::task::spawn_busy(busy, async move {
            match session
                .send_only::<()>(
                    gloo_net::http::Method::DELETE,
                    "/api/v1/direct-debit/mandate",
                    None,
                )
                .await
            {
                Ok(()) => version.update(|v| *v = v.wrapping_add(1)),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card stack" aria-labelledby="mon-mandat">
            <h2 id="mon-mandat">"Mon mandat"</h2>
            <dl class="facts">
                <dt>"Référence (RUM)"</dt><dd>{mandate.reference.clone()}</dd>
                <dt>"Titulaire"</dt><dd>{mandate.holder.clone()}</dd>
                <dt>"Compte"</dt><dd>{mandate.iban_masked.clone()}</dd>
                <dt>"Signé le"</dt><dd>{date_fr(mandate.signed_on)}</dd>
            </dl>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary" on:click=download>"Télécharger le mandat (PDF)"</button>
                <Button variant=ButtonVariant::Secondary busy=busy on_click=Callback::new(revoke)>"Révoquer le mandat"</Button>
            </div>
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
        </section>
    }
}

#[component]
fn SignMandate(text: String, replacing: bool, version: RwSignal<u32>) -> impl IntoView {
    let session = use_family_session();
    let (holder, iban, accept) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(false),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<api::ApiError>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let send = move || {
        failure.set(None);
        done.set(false);
        let request = MandateRequest {
            holder: holder.get_untracked(),
            iban: iban.get_untracked(),
            accept: accept.get_untracked(),
        };
        if let Err(e) = request.validate() {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        crate::task::spawn_busy(busy, async move {
            match session
                .post::<_, MandateResponse>("/api/v1/direct-debit/mandate", &request)
                .await
            {
                Ok(_) => {
                    done.set(true);
                    version.update(|v| *v = v.wrapping_add(1));
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
    let title = if replacing {
        "Changer de compte bancaire"
    } else {
        "Signer un mandat de prélèvement"
    };
    view! {
        <section class="card section stack" aria-labelledby="signer">
            <h2 id="signer">{title}</h2>
            <form class="stack" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
                <TextField id="titulaire" label="Titulaire du compte" value=holder error=error("holder") autocomplete="name" required=true />
                <TextField id="iban" label="IBAN" value=iban error=error("iban") autocomplete="off" required=true
                    hint="27 caractères pour un compte français, par exemple FR76 3000 6000 0112 3456 7890 189." />
                <p class="fine-print">{text}</p>
                <Checkbox id="accepter" checked=accept error=error("accept")>"J'ai lu ce mandat et j'autorise ces prélèvements"</Checkbox>
                {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
                {move || done.get().then(|| view! { <Alert kind=AlertKind::Success><p>"Mandat signé : vos prochaines factures seront prélevées."</p></Alert> })}
                <div class="btn-row"><Button submit=true busy=busy>"Signer le mandat"</Button></div>
            </form>
        </section>
    }
}
