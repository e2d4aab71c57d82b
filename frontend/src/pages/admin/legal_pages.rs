//! « Pages légales » in the settings: each page's text, written by the portal from the
//! commune's settings until an administrator replaces it (and back).

use leptos::prelude::*;
use portail_domain::api::{LegalPageRequest, LegalPageResponse};
use portail_domain::legal::LegalPage;

use crate::api::{self, use_staff_session};
use crate::components::{Loaded, Outcome, Submit, TextArea};

#[component]
pub fn LegalPagesSettings() -> impl IntoView {
    view! {
        <section class="card section" aria-labelledby="pages-legales">
            <h2 id="pages-legales">"Pages légales"</h2>
            <p class="fine-print">"Liées en bas de chaque page. Le portail les rédige à partir des réglages de la commune et des durées de conservation ; remplacez un texte pour le compléter (délégué à la protection des données, hébergeur…). Paragraphes séparés par une ligne vide, «\u{a0}##\u{a0}» pour un titre, «\u{a0}-\u{a0}» pour une liste."</p>
            {LegalPage::ALL.into_iter().map(|page| view! { <LegalPageEditor page=page /> }).collect_view()}
        </section>
    }
}

#[component]
fn LegalPageEditor(page: LegalPage) -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let loaded = LocalResource::new(move || {
        version.track();
        api::get_legal_page(page.slug())
    });
    view! {
        <Loaded resource=loaded render=move |current| view! { <LegalPageForm page=page current=current version=version session=session /> }.into_any() />
    }
}

#[component]
fn LegalPageForm(
    page: LegalPage,
    current: LegalPageResponse,
    version: RwSignal<u32>,
    session: api::Session,
) -> impl IntoView {
    let text = RwSignal::new(current.body.clone());
    let submit = Submit::bumping(version);
    let save = move |body: Option<String>| {
        let reset = body.is_none();
        submit.run(
            async move { api::set_legal_page(session, page.slug(), &LegalPageRequest { body }).await },
            move |_| {
                if reset {
                    "Texte du portail rétabli.".to_owned()
                } else {
                    "Texte enregistré.".to_owned()
                }
            },
        );
    };
    let id = format!("legal-{}", page.slug());
    view! {
        <div class="form-section">
            <h3>
                <a href=format!("/{}", page.slug()) rel="external">{page.title()}</a>
                {if current.customised { " (texte de la mairie)" } else { " (texte du portail)" }}
            </h3>
            <TextArea id=id label=format!("Texte de la page «\u{a0}{}\u{a0}»", page.title()) value=text />
            <div class="btn-row">
                <button type="button" class="btn btn--primary" on:click=move |_| save(Some(text.get_untracked()))>"Enregistrer"</button>
                {current.customised.then(|| view! {
                    <button type="button" class="btn btn--secondary" on:click=move |_| save(None)>"Revenir au texte du portail"</button>
                })}
            </div>
            <Outcome said=submit.said />
        </div>
    }
}
