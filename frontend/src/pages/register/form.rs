//! The wizard's form state: one signal per field, kept for the whole wizard so that
//! « ← Retour » loses nothing.

use leptos::prelude::*;
use portail_domain::api::RegisterFamilyRequest;
use portail_domain::parse::FieldErrors;

#[derive(Clone, Copy)]
pub struct Form {
    pub email: RwSignal<String>,
    pub password: RwSignal<String>,
    pub password_confirmation: RwSignal<String>,
    pub address_line1: RwSignal<String>,
    pub address_line2: RwSignal<String>,
    pub postal_code: RwSignal<String>,
    pub city: RwSignal<String>,
    pub mobile_phone: RwSignal<String>,
    pub home_phone: RwSignal<String>,
    pub civility: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub first_name: RwSignal<String>,
    pub birth_date: RwSignal<String>,
    pub profession: RwSignal<String>,
    pub employer: RwSignal<String>,
    pub work_phone: RwSignal<String>,
    pub accept_terms: RwSignal<bool>,
    pub errors: RwSignal<FieldErrors>,
}

impl Form {
    pub fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Self {
            email: text(),
            password: text(),
            password_confirmation: text(),
            address_line1: text(),
            address_line2: text(),
            postal_code: text(),
            city: text(),
            mobile_phone: text(),
            home_phone: text(),
            civility: text(),
            last_name: text(),
            first_name: text(),
            birth_date: text(),
            profession: text(),
            employer: text(),
            work_phone: text(),
            accept_terms: RwSignal::new(false),
            errors: RwSignal::new(FieldErrors::default()),
        }
    }

    pub fn request(&self) -> RegisterFamilyRequest {
        RegisterFamilyRequest {
            email: self.email.get_untracked(),
            password: self.password.get_untracked(),
            password_confirmation: self.password_confirmation.get_untracked(),
            address_line1: self.address_line1.get_untracked(),
            address_line2: self.address_line2.get_untracked(),
            postal_code: self.postal_code.get_untracked(),
            city: self.city.get_untracked(),
            mobile_phone: self.mobile_phone.get_untracked(),
            home_phone: self.home_phone.get_untracked(),
            civility: self.civility.get_untracked(),
            last_name: self.last_name.get_untracked(),
            first_name: self.first_name.get_untracked(),
            birth_date: self.birth_date.get_untracked(),
            profession: self.profession.get_untracked(),
            employer: self.employer.get_untracked(),
            work_phone: self.work_phone.get_untracked(),
            accept_terms: self.accept_terms.get_untracked(),
        }
    }

    /// What was typed, back from the tab's session storage (after a reload, or Back then
    /// Forward in the browser). Never the passwords: they are not stored.
    pub fn restore(&self) {
        let Some(draft) = storage()
            .and_then(|s| s.get_item(DRAFT_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str::<RegisterFamilyRequest>(&text).ok())
        else {
            return;
        };
        self.email.set(draft.email);
        self.address_line1.set(draft.address_line1);
        self.address_line2.set(draft.address_line2);
        self.postal_code.set(draft.postal_code);
        self.city.set(draft.city);
        self.mobile_phone.set(draft.mobile_phone);
        self.home_phone.set(draft.home_phone);
        self.civility.set(draft.civility);
        self.last_name.set(draft.last_name);
        self.first_name.set(draft.first_name);
        self.birth_date.set(draft.birth_date);
        self.profession.set(draft.profession);
        self.employer.set(draft.employer);
        self.work_phone.set(draft.work_phone);
        self.accept_terms.set(draft.accept_terms);
    }

    /// Keeps what is typed in the tab's session storage as it changes (passwords left out);
    /// gone when the tab closes, or when the account is created ([`Form::forget`]).
    pub fn keep(&self) {
        let form = *self;
        Effect::new(move |_| {
            let draft = RegisterFamilyRequest {
                password: String::new(),
                password_confirmation: String::new(),
                email: form.email.get(),
                address_line1: form.address_line1.get(),
                address_line2: form.address_line2.get(),
                postal_code: form.postal_code.get(),
                city: form.city.get(),
                mobile_phone: form.mobile_phone.get(),
                home_phone: form.home_phone.get(),
                civility: form.civility.get(),
                last_name: form.last_name.get(),
                first_name: form.first_name.get(),
                birth_date: form.birth_date.get(),
                profession: form.profession.get(),
                employer: form.employer.get(),
                work_phone: form.work_phone.get(),
                accept_terms: form.accept_terms.get(),
            };
            if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&draft)) {
                let _ = storage.set_item(DRAFT_KEY, &text);
            }
        });
    }

    /// Drops the kept draft (the account is created).
    pub fn forget() {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(DRAFT_KEY);
        }
    }

    /// The error to show next to `field`.
    pub fn error(&self, field: &'static str) -> Signal<Option<String>> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|e| e.message_for(field)))
    }
}

const DRAFT_KEY: &str = "portail.inscription";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The step (0–4) where a field is typed: a server-side error sends the user back there.
pub fn step_of(field: &str) -> usize {
    match field {
        "email" | "password" | "password_confirmation" => 0,
        "address_line1" | "address_line2" | "postal_code" | "city" | "mobile_phone"
        | "home_phone" => 1,
        "civility" | "last_name" | "first_name" | "birth_date" => 2,
        "profession" | "employer" | "work_phone" => 3,
        _ => 4,
    }
}
