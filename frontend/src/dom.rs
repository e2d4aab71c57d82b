//! Small browser helpers: focus, the URL fragment, today's date.

use wasm_bindgen::JsCast as _;

/// Moves the focus to the first invalid field (after the view has updated), so keyboard and
/// screen-reader users land on what needs fixing.
pub fn focus_first_invalid() {
    request_animation_frame(|| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Ok(Some(element)) = document.query_selector("[aria-invalid='true']")
            && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = element.focus();
        }
    });
}

/// Moves the focus to an element by id (a heading after a step change, a result message).
pub fn focus_id(id: &'static str) {
    request_animation_frame(move || {
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

/// After a page change inside the app, moves the focus to the new page's main heading (made
/// focusable for this), as a full page load would start a screen reader at the top: without
/// it, the focus stays on the link that was followed, in a page that is gone. The heading may
/// come after the page's data: tried for two seconds.
pub fn focus_page_heading() {
    fn attempt(tries_left: u32) {
        let heading = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                // A page may name what should take the focus (the wizard's step title).
                d.query_selector("[data-focus-on-navigation]")
                    .ok()
                    .flatten()
                    .or_else(|| d.query_selector("main h1, h1").ok().flatten())
            })
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        match heading {
            Some(heading) => {
                if heading.get_attribute("tabindex").is_none() {
                    let _ = heading.set_attribute("tabindex", "-1");
                }
                let _ = heading.focus();
            }
            None if tries_left > 0 => {
                leptos::prelude::set_timeout(
                    move || attempt(tries_left - 1),
                    std::time::Duration::from_millis(100),
                );
            }
            None => {}
        }
    }
    request_animation_frame(|| attempt(20));
}

fn request_animation_frame(f: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(f);
}

/// The token of an e-mailed link (`…#jeton=abc`): kept in the fragment so that it never
/// reaches a server log. The fragment is then cleared from the address bar.
pub fn token_from_fragment() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let token = hash.strip_prefix("#jeton=")?.to_owned();
    if let Ok(history) = window.history() {
        let path = window.location().pathname().unwrap_or_default();
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    (!token.is_empty()).then_some(token)
}

/// Today in the browser's calendar (the commune's, for a French family).
pub fn today() -> chrono::NaiveDate {
    // The commune's date, not the browser's: a parent abroad, or a phone set to another zone,
    // sees the same « today » as the server (Europe/Paris). `sv-SE` writes `AAAA-MM-JJ`.
    let now = js_sys::Date::new_0();
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"Europe/Paris".into());
    let paris: String = now.to_locale_date_string("sv-SE", &options).into();
    portail_domain::api::wire::parse_calendar_date(&paris).unwrap_or_else(|| {
        chrono::NaiveDate::from_ymd_opt(
            i32::try_from(now.get_full_year()).unwrap_or(2026),
            now.get_month() + 1,
            now.get_date(),
        )
        .unwrap_or_default()
    })
}

/// Saves a `blob:` URL as a file, as a download link would.
pub fn save_as(url: &str, filename: &str) {
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(anchor) = anchor {
        anchor.set_href(url);
        anchor.set_download(filename);
        anchor.click();
    }
}

/// A timestamp as a French reader in the commune expects it: « 28/11/2026 07:06 », Paris time.
pub fn local_datetime(at: chrono::DateTime<chrono::Utc>) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    let options = js_sys::Object::new();
    for (key, value) in [
        ("timeZone", "Europe/Paris"),
        ("day", "2-digit"),
        ("month", "2-digit"),
        ("year", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string("fr-FR", &options).into()
}

/// The date part only, Paris time.
pub fn local_date(at: chrono::DateTime<chrono::Utc>) -> String {
    local_datetime(at)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A fresh idempotency key: a random UUID from the browser, or time and chance without one.
pub fn random_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "{:x}-{:x}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e15) as u64
            )
        })
}

/// Removes the loading shell `index.html` shows while the app downloads (`#chargement`): the
/// app draws its own header once mounted.
pub fn remove_loading_shell() {
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("chargement"))
    {
        shell.remove();
    }
}

/// Copies `text` to the clipboard (`navigator.clipboard.writeText`, read through `Reflect` so
/// that no bundle pays for web-sys' clipboard bindings); `false` when the browser refuses
/// (no secure context, no permission): the text stays shown to be copied by hand.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = js_sys::Reflect::get(&window, &"navigator".into())
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &"clipboard".into()))
        .ok()
        .filter(|c| !c.is_undefined());
    let Some(clipboard) = clipboard else {
        return false;
    };
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(write) = write else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Asks the browser's confirmation dialog; `false` when refused (or no window).
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
