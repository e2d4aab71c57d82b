//! The wizard's form state: one signal per field, kept for the whole wizard so that
//! « ← Retour » loses nothing.

use leptos::prelude::*;
use portail_domain::api::{HolderDetails, RegisterFamilyRequest};
use portail_domain::parse::FieldErrors;

/// Steps 2 to 4: the account holder's fields, the same in the wizard and at the counter.
#[derive(Clone, Copy)]
pub struct HolderForm {
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
}

impl HolderForm {
    fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Self {
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
        }
    }

    /// What is typed (tracked: an effect reading it runs again on each change).
    fn read(&self) -> HolderDetails {
        HolderDetails {
            address_line1: self.address_line1.get(),
            address_line2: self.address_line2.get(),
            postal_code: self.postal_code.get(),
            city: self.city.get(),
            mobile_phone: self.mobile_phone.get(),
            home_phone: self.home_phone.get(),
            civility: self.civility.get(),
            last_name: self.last_name.get(),
            first_name: self.first_name.get(),
            birth_date: self.birth_date.get(),
            profession: self.profession.get(),
            employer: self.employer.get(),
            work_phone: self.work_phone.get(),
        }
    }

    fn set(&self, details: HolderDetails) {
        self.address_line1.set(details.address_line1);
        self.address_line2.set(details.address_line2);
        self.postal_code.set(details.postal_code);
        self.city.set(details.city);
        self.mobile_phone.set(details.mobile_phone);
        self.home_phone.set(details.home_phone);
        self.civility.set(details.civility);
        self.last_name.set(details.last_name);
        self.first_name.set(details.first_name);
        self.birth_date.set(details.birth_date);
        self.profession.set(details.profession);
        self.employer.set(details.employer);
        self.work_phone.set(details.work_phone);
    }
}

#[derive(Clone, Copy)]
pub struct Form {
    pub email: RwSignal<String>,
    pub password: RwSignal<String>,
    pub password_confirmation: RwSignal<String>,
    pub holder: HolderForm,
    pub accept_terms: RwSignal<bool>,
    pub errors: RwSignal<FieldErrors>,
}

impl Form {
    pub fn new() -> Self {
        Self {
            email: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            password_confirmation: RwSignal::new(String::new()),
            holder: HolderForm::new(),
            accept_terms: RwSignal::new(false),
            errors: RwSignal::new(FieldErrors::default()),
        }
    }

    /// What is typed (tracked inside an effect, as [`Form::keep`] needs).
    fn read(&self) -> RegisterFamilyRequest {
        RegisterFamilyRequest {
            email: self.email.get(),
            password: self.password.get(),
            password_confirmation: self.password_confirmation.get(),
            holder: self.holder.read(),
            accept_terms: self.accept_terms.get(),
        }
    }

    /// What is typed, read once (to send it).
    pub fn request(&self) -> RegisterFamilyRequest {
        untrack(|| self.read())
    }

    /// Puts a request back in the fields (passwords left as they are).
    fn set(&self, draft: RegisterFamilyRequest) {
        self.email.set(draft.email);
        self.holder.set(draft.holder);
        self.accept_terms.set(draft.accept_terms);
    }

    /// Empties the form (the counter, once a family is created: sending it again would create
    /// a second family).
    pub fn clear(&self) {
        self.set(RegisterFamilyRequest::default());
        self.errors.set(FieldErrors::default());
    }

    /// What was typed, back from the tab's session storage (after a reload, or Back then
    /// Forward in the browser). Never the passwords: they are not stored.
    pub fn restore(&self) {
        if let Some(draft) = storage()
            .and_then(|s| s.get_item(DRAFT_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str::<RegisterFamilyRequest>(&text).ok())
        {
            self.set(draft);
        }
    }

    /// Keeps what is typed in the tab's session storage as it changes (passwords left out);
    /// gone when the tab closes, or when the account is created ([`Form::forget`]).
    pub fn keep(&self) {
        let form = *self;
        Effect::new(move |_| {
            let draft = RegisterFamilyRequest {
                password: String::new(),
                password_confirmation: String::new(),
                ..form.read()
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
