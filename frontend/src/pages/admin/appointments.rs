//! « Rendez-vous » (staff of a desk): the day's agenda — each slot and who comes, « Venu »,
//! « Absent », « Annuler », a link to the counter to create the family's account or to the
//! files to act for it —, a caller booked from the phone, and opening a day's slots.

use leptos::prelude::*;
use portail_domain::api::{
    AgendaResponse, AgendaSlot, AppointmentConfirmation, AppointmentItem, AppointmentRequest,
    AppointmentSlotList, AppointmentStatus, AppointmentStatusRequest, OpenSlotsRequest,
};
use portail_domain::format::{count, date_fr};
use portail_domain::parse::FieldErrors;
use portail_domain::rules::appointments::AppointmentDesk;
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{
    Alert, AlertKind, Button, ErrorAlert, Loaded, SelectField, TextField, Title,
};
use crate::dom;

fn desk_of(raw: &str) -> AppointmentDesk {
    AppointmentDesk::parse(raw).unwrap_or(AppointmentDesk::Scolaire)
}

#[component]
pub fn StaffAppointments() -> impl IntoView {
    let session = use_staff_session();
    let desk = RwSignal::new(AppointmentDesk::Scolaire.as_str().to_owned());
    let date = RwSignal::new(dom::today().to_string());
    let version = RwSignal::new(0_u32);
    let agenda = LocalResource::new(move || {
        let (desk, date) = (desk.get(), date.get());
        version.track();
        async move {
            session
                .get::<AgendaResponse>(&format!(
                    "/api/v1/staff/appointments?desk={desk}&date={date}"
                ))
                .await
        }
    });
    let desks = vec![
        ("scolaire".to_owned(), "Affaires scolaires".to_owned()),
        ("ccas".to_owned(), "CCAS".to_owned()),
    ];
    view! {
        <Title text="Rendez-vous — Espace du personnel" />
        <h1>"Rendez-vous"</h1>
        <p>"L'aide aux démarches en mairie : les rendez-vous pris sur le portail (sans compte) ou au téléphone."</p>
        <div class="card stack">
            <SelectField id="guichet" label="Guichet" options=desks value=desk />
            <TextField id="jour" label="Jour" input_type="date" value=date />
        </div>
        <Loaded resource=agenda render=move |a| view! { <Agenda agenda=a version=version /> }.into_any() />
        <OpenSlots desk=desk date=date version=version />
    }
}

#[component]
fn Agenda(agenda: AgendaResponse, version: RwSignal<u32>) -> impl IntoView {
    let title = format!("{} — {}", agenda.desk.label_fr(), date_fr(agenda.date));
    if agenda.slots.is_empty() {
        return view! { <section class="section"><h2>{title}</h2><p class="muted">"Aucun créneau ouvert ce jour-là : ouvrez-en ci-dessous."</p></section> }.into_any();
    }
    let free: Vec<(String, String)> = agenda
        .slots
        .iter()
        .filter(|s| s.slot.places_left > 0)
        .map(|s| {
            (
                s.slot.id.to_string(),
                format!("{} – {}", s.slot.start, s.slot.end),
            )
        })
        .collect();
    view! {
        <section class="section stack" aria-labelledby="agenda">
            <h2 id="agenda">{title}</h2>
            <ul class="list-plain stack">
                {agenda.slots.into_iter().map(|s| view! { <SlotRow entry=s version=version /> }).collect_view()}
            </ul>
            {(!free.is_empty()).then(|| view! { <PhoneBooking free=free version=version /> })}
        </section>
    }
    .into_any()
}

#[component]
fn SlotRow(entry: AgendaSlot, version: RwSignal<u32>) -> impl IntoView {
    let s = entry.slot;
    let places = if s.places_left == 0 {
        "complet".to_owned()
    } else {
        count(s.places_left, "place libre", "places libres")
    };
    view! {
        <li class="card stack">
            <p><strong>{format!("{} – {}", s.start, s.end)}</strong>" · "{places}</p>
            {entry.appointments.into_iter().map(|a| view! { <Appointment item=a version=version /> }).collect_view()}
        </li>
    }
}

#[component]
fn Appointment(item: AppointmentItem, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let failure = RwSignal::new(None::<api::ApiError>);
    let id = item.id;
    let set = move |status: AppointmentStatus| {
        if status == AppointmentStatus::Cancelled
            && !dom::confirm("Annuler ce rendez-vous ? La place redevient libre.")
        {
            return;
        }
        leptos::task::spawn_local(async move {
            let body = AppointmentStatusRequest { status };
            match session
                .call::<_, AppointmentItem>(
                    gloo_net::http::Method::PUT,
                    &format!("/api/v1/staff/appointments/{id}/status"),
                    Some(&body),
                )
                .await
            {
                Ok(_) => version.update(|v| *v = v.wrapping_add(1)),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let tel = format!("tel:{}", item.phone.replace(' ', ""));
    view! {
        <div class="stack">
            <p>
                <strong>{item.name.clone()}</strong>" · "<a href=tel>{item.phone.clone()}</a>
                " · "<span class="badge badge--info">{item.status.label_fr()}</span>
                {item.by_staff.then_some(" · pris au téléphone")}
            </p>
            <p class="fine-print">{format!("Motif : {}", item.reason)}</p>
            {(item.status != AppointmentStatus::Cancelled).then(|| view! {
                <div class="btn-row">
                    <button type="button" class="btn btn--secondary btn--small" on:click=move |_| set(AppointmentStatus::Came)>"Venu" <span class="visually-hidden">{format!(" : {}", item.name)}</span></button>
                    <button type="button" class="btn btn--secondary btn--small" on:click=move |_| set(AppointmentStatus::Absent)>"Absent"</button>
                    <button type="button" class="btn btn--secondary btn--small" on:click=move |_| set(AppointmentStatus::Cancelled)>"Annuler"</button>
                    <a class="btn btn--secondary btn--small" href="/admin/familles/nouvelle">"Créer son compte au guichet"</a>
                    <a class="btn btn--secondary btn--small" href="/admin/familles">"Agir pour cette famille"</a>
                </div>
            })}
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
        </div>
    }
}

#[component]
fn PhoneBooking(free: Vec<(String, String)>, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let slot = RwSignal::new(free.first().map(|f| f.0.clone()).unwrap_or_default());
    let (name, phone, reason) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<api::ApiError>);
    let busy = RwSignal::new(false);
    let send = move || {
        failure.set(None);
        let request = AppointmentRequest {
            slot_id: Uuid::parse_str(&slot.get_untracked()).unwrap_or_default(),
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            email: None,
            reason: reason.get_untracked(),
        };
        if let Err(e) = request.validate() {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        }
        crate::task::spawn_busy(busy, async move {
            match session
                .post::<_, AppointmentConfirmation>("/api/v1/staff/appointments", &request)
                .await
            {
                Ok(_) => version.update(|v| *v = v.wrapping_add(1)),
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()))
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    view! {
        <form class="card stack" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h3>"Prendre un rendez-vous au téléphone"</h3>
            <SelectField id="creneau" label="Créneau" options=free value=slot />
            <TextField id="appelant" label="Nom et prénom" value=name error=error("name") />
            <TextField id="appelant-telephone" label="Téléphone" input_type="tel" value=phone error=error("phone") />
            <TextField id="appelant-motif" label="Motif" value=reason error=error("reason") />
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
            <div class="btn-row"><Button submit=true busy=busy>"Enregistrer le rendez-vous"</Button></div>
        </form>
    }
}

#[component]
fn OpenSlots(
    desk: RwSignal<String>,
    date: RwSignal<String>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let session = use_staff_session();
    let (from, to) = (
        RwSignal::new("09:00".to_owned()),
        RwSignal::new("12:00".to_owned()),
    );
    let (length, capacity) = (
        RwSignal::new("30".to_owned()),
        RwSignal::new("1".to_owned()),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<api::ApiError>);
    let opened = RwSignal::new(None::<usize>);
    let busy = RwSignal::new(false);
    let send = move || {
        failure.set(None);
        opened.set(None);
        let Some(day) = portail_domain::api::wire::parse_date(&date.get_untracked()) else {
            return;
        };
        let request = OpenSlotsRequest {
            desk: desk_of(&desk.get_untracked()),
            date: day,
            from: from.get_untracked(),
            to: to.get_untracked(),
            length_minutes: length.get_untracked().trim().parse().unwrap_or(0),
            capacity: capacity.get_untracked().trim().parse().unwrap_or(0),
        };
        crate::task::spawn_busy(busy, async move {
            match session
                .post::<_, AppointmentSlotList>("/api/v1/staff/appointment-slots", &request)
                .await
            {
                Ok(list) => {
                    errors.set(FieldErrors::default());
                    opened.set(Some(list.items.len()));
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
    view! {
        <section class="section" aria-labelledby="ouvrir">
            <h2 id="ouvrir">"Ouvrir des créneaux ce jour-là"</h2>
            <form class="card stack" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
                <TextField id="de" label="De" input_type="time" value=from error=error("from") />
                <TextField id="a" label="À" input_type="time" value=to error=error("to") />
                <TextField id="duree" label="Durée d'un rendez-vous (minutes)" inputmode="numeric" value=length error=error("length_minutes") />
                <TextField id="places" label="Personnes à la fois" inputmode="numeric" value=capacity error=error("capacity") />
                <p class="fine-print">{move || errors.with(|e| e.message_for("date"))}</p>
                {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
                {move || opened.get().map(|n| view! { <Alert kind=AlertKind::Success><p>{format!("{} ce jour-là.", count(u64::try_from(n).unwrap_or(0), "créneau", "créneaux"))}</p></Alert> })}
                <div class="btn-row"><Button submit=true busy=busy>"Ouvrir les créneaux"</Button></div>
            </form>
        </section>
    }
}
