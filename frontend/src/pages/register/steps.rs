//! The five steps of the note, one view each.

use leptos::prelude::*;
use portail_domain::parse::Password;

use super::form::Form;
use crate::components::{Checkbox, RadioGroup, TextField};

pub fn connection(form: Form) -> impl IntoView {
    view! {
        <TextField id="email" label="Adresse e-mail" input_type="email" autocomplete="email" required=true value=form.email error=form.error("email") />
        <TextField
            id="password"
            label="Mot de passe"
            input_type="password"
            autocomplete="new-password"
            required=true
            hint=format!("Au moins {} caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.", Password::MIN_LEN)
            value=form.password
            error=form.error("password")
        />
        <TextField id="password_confirmation" label="Confirmer le nouveau mot de passe" input_type="password" autocomplete="new-password" required=true value=form.password_confirmation error=form.error("password_confirmation") />
    }
}

pub fn contact(form: Form) -> impl IntoView {
    view! {
        <TextField id="address_line1" label="Adresse" autocomplete="address-line1" required=true value=form.holder.address_line1 error=form.error("address_line1") />
        <TextField id="address_line2" label="Complément d'adresse" autocomplete="address-line2" hint="Bâtiment, étage, lieu-dit…" value=form.holder.address_line2 error=form.error("address_line2") />
        <TextField id="postal_code" label="Code postal" autocomplete="postal-code" inputmode="numeric" required=true value=form.holder.postal_code error=form.error("postal_code") />
        <TextField id="city" label="Ville" autocomplete="address-level2" required=true value=form.holder.city error=form.error("city") />
        <p class="fine-print">"Indiquez au moins un numéro de téléphone."</p>
        <TextField id="mobile_phone" label="Téléphone portable" input_type="tel" autocomplete="tel" value=form.holder.mobile_phone error=form.error("mobile_phone") />
        <TextField id="home_phone" label="Téléphone fixe" input_type="tel" value=form.holder.home_phone error=form.error("home_phone") />
    }
}

pub fn personal(form: Form) -> impl IntoView {
    view! {
        <RadioGroup id="civility" legend="Civilité" options=vec![("madame", "Madame"), ("monsieur", "Monsieur")] required=true value=form.holder.civility error=form.error("civility") />
        <TextField id="last_name" label="Nom" autocomplete="family-name" required=true value=form.holder.last_name error=form.error("last_name") />
        <TextField id="first_name" label="Prénom" autocomplete="given-name" required=true value=form.holder.first_name error=form.error("first_name") />
        <TextField id="birth_date" label="Date de naissance" input_type="date" autocomplete="bday" required=true value=form.holder.birth_date error=form.error("birth_date") />
    }
}

pub fn professional(form: Form) -> impl IntoView {
    view! {
        <p class="fine-print">"Ces informations sont facultatives."</p>
        <TextField id="profession" label="Profession" autocomplete="organization-title" value=form.holder.profession error=form.error("profession") />
        <TextField id="employer" label="Employeur" autocomplete="organization" value=form.holder.employer error=form.error("employer") />
        <TextField id="work_phone" label="Téléphone professionnel" input_type="tel" value=form.holder.work_phone error=form.error("work_phone") />
    }
}

/// The data-protection text and the two certifications of the note's fifth step (read to the
/// parent at the counter).
pub fn terms_text() -> impl IntoView {
    view! {
        <p>"Les informations recueillies sur ce formulaire font l'objet d'un traitement informatique pour les besoins de gestion des services souscrits (exemples : inscription, facturation) et sont destinées uniquement aux gestionnaires de ces services."</p>
        <p>"Conformément à la réglementation sur la protection des données personnelles, vous bénéficiez d'un droit d'accès, de rectification et de suppression des informations qui vous concernent."</p>
        <p>"Je certifie avoir pris connaissance des règlements intérieurs ou de fonctionnement et accepte leurs contenus."</p>
        <p>"Je certifie sur l'honneur l'exactitude des renseignements donnés et m'engage à faire connaître toutes modifications sous les plus brefs délais."</p>
    }
}

pub fn validation(form: Form, commune: Signal<String>) -> impl IntoView {
    view! {
        <div class="stack">
            {terms_text()}
            <Checkbox id="accept_terms" checked=form.accept_terms required=true error=form.error("accept_terms")>
                "Accepter"
                <span class="visually-hidden">{move || format!(" les conditions d'utilisation du portail famille {} et les deux certifications ci-dessus", portail_domain::format::of_place(&commune.get()))}</span>
            </Checkbox>
        </div>
    }
}
