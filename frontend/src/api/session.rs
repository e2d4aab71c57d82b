//! The current user: an access token kept in memory only (never in storage a script could
//! read later), restored at load from the `HttpOnly` session cookie. One session per realm, so
//! a family and a staff member can be logged in side by side.

use gloo_net::http::{Method, Response};
use leptos::prelude::*;
use portail_domain::ErrorCode;
use portail_domain::api::SessionResponse;
use portail_domain::auth::AccountKind;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ApiError, Body, Outgoing, answer_text, decode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Not known yet: the cookie has not been tried.
    Unknown,
    Anonymous,
    LoggedIn,
}

#[derive(Clone, Copy)]
pub struct Session {
    pub kind: AccountKind,
    token: RwSignal<Option<String>>,
    pub state: RwSignal<SessionState>,
    /// An agent acting for the family (« aide aux démarches »): the family's name, for the
    /// banner on every page.
    pub acting: RwSignal<Option<String>>,
}

/// Where an agent's acting token lives while they act for a family: this tab only, for the
/// 30 minutes the server grants (docs/assisted.md). `token` newline `family's name`.
pub const ACTING_KEY: &str = "portail.agir";

fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

#[derive(Clone, Copy)]
struct FamilySession(Session);
#[derive(Clone, Copy)]
struct StaffSession(Session);

pub fn provide_sessions() {
    provide_context(FamilySession(Session::new(AccountKind::Family)));
    provide_context(StaffSession(Session::new(AccountKind::Staff)));
}

pub fn use_family_session() -> Session {
    expect_context::<FamilySession>().0
}

pub fn use_staff_session() -> Session {
    expect_context::<StaffSession>().0
}

impl Session {
    fn new(kind: AccountKind) -> Self {
        Self {
            kind,
            token: RwSignal::new(None),
            state: RwSignal::new(SessionState::Unknown),
            acting: RwSignal::new(None),
        }
    }

    /// Where this realm's session endpoints live.
    pub fn auth_path(&self, end: &str) -> String {
        match self.kind {
            AccountKind::Family => format!("/api/v1/auth/{end}"),
            AccountKind::Staff => format!("/api/v1/staff/auth/{end}"),
        }
    }

    pub fn start(&self, session: SessionResponse) {
        self.token.set(Some(session.access_token));
        self.state.set(SessionState::LoggedIn);
    }

    pub fn forget(&self) {
        if self.acting.get_untracked().is_some() {
            if let Some(storage) = tab_storage() {
                storage.remove_item(ACTING_KEY).ok();
            }
            self.acting.set(None);
        }
        self.token.set(None);
        self.state.set(SessionState::Anonymous);
    }

    /// An agent acting for a family, in this tab: its token instead of the family's cookie.
    fn acting_token(&self) -> bool {
        let stored = (self.kind == AccountKind::Family)
            .then(tab_storage)
            .flatten()
            .and_then(|s| s.get_item(ACTING_KEY).ok().flatten());
        let Some((token, label)) = stored.as_deref().and_then(|s| s.split_once('\n')) else {
            return false;
        };
        self.token.set(Some(token.to_owned()));
        self.acting.set(Some(label.to_owned()));
        self.state.set(SessionState::LoggedIn);
        true
    }

    /// On first use, tries the cookie; afterwards answers from memory.
    pub async fn restore(&self) -> bool {
        match self.state.get_untracked() {
            SessionState::LoggedIn => true,
            SessionState::Anonymous => false,
            SessionState::Unknown if self.acting_token() => true,
            SessionState::Unknown if !self.has_session_cookie() => {
                self.state.set(SessionState::Anonymous);
                false
            }
            SessionState::Unknown => self.refresh().await,
        }
    }

    /// The server sets a script-readable hint beside the `HttpOnly` session cookie: without
    /// it there is no session to restore, and no request to make.
    fn has_session_cookie(&self) -> bool {
        use wasm_bindgen::JsCast as _;
        let name = match self.kind {
            AccountKind::Family => "portail_has_session=1",
            AccountKind::Staff => "portail_staff_has_session=1",
        };
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .is_some_and(|cookies| cookies.split(';').any(|c| c.trim() == name))
    }

    /// Exchanges the cookie for a new access token. Another tab may have just done the same
    /// (`refresh_conflict`): the browser then holds the newer cookie, so try once more.
    pub async fn refresh(&self) -> bool {
        let outgoing = Outgoing {
            method: Method::POST,
            path: &self.auth_path("refresh"),
            body: Body::Empty,
            idempotency_key: None,
        };
        for attempt in 0..2 {
            let result = match outgoing.send(None).await {
                Ok(response) => decode::<SessionResponse>(response).await,
                Err(error) => Err(error),
            };
            match result {
                Ok(session) => {
                    self.start(session);
                    return true;
                }
                Err(error) if attempt == 0 && error.code() == Some(ErrorCode::RefreshConflict) => {
                    gloo_timers_sleep(300).await;
                }
                Err(_) => break,
            }
        }
        self.forget();
        false
    }

    pub async fn logout(&self) {
        self.end().await;
        self.forget();
    }

    /// Ends the session on the server but keeps this page's state: for a page about to load
    /// another (« Terminer » while acting). Forgetting first would send the family's guard to
    /// the login page, which in a bundle that does not draw it is a page load of its own,
    /// racing the one asked for.
    pub async fn end(&self) {
        let path = if self.acting.get_untracked().is_some() {
            "/api/v1/staff/acting/stop".to_owned()
        } else {
            self.auth_path("logout")
        };
        let _ = Outgoing {
            method: Method::POST,
            path: &path,
            body: Body::Empty,
            idempotency_key: None,
        }
        .send(self.token.get_untracked().as_deref())
        .await;
        // The tab's acting token goes at once (the page's signals stay as they are).
        if self.acting.get_untracked().is_some()
            && let Some(storage) = tab_storage()
        {
            storage.remove_item(ACTING_KEY).ok();
        }
    }

    /// Every call that needs the account goes through here: restores the session if needed,
    /// sends with the access token and, when it has expired (401), renews it once and sends
    /// the same request again (same body, same `Idempotency-Key`, so the server applies it
    /// once whatever happens on the way).
    async fn exchange(&self, outgoing: &Outgoing<'_>) -> Result<Response, ApiError> {
        if !self.restore().await {
            return Err(not_logged_in());
        }
        let response = outgoing.send(self.token.get_untracked().as_deref()).await?;
        // An acting token is not renewed: its 30 minutes are over, or « Terminer » was used.
        if response.status() == 401 && self.acting.get_untracked().is_some() {
            self.forget();
            return Ok(response);
        }
        if response.status() == 401 && self.refresh().await {
            return outgoing.send(self.token.get_untracked().as_deref()).await;
        }
        Ok(response)
    }

    /// A JSON call with the account.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ApiError> {
        let outgoing = Outgoing {
            method,
            path,
            body: Body::json(body),
            idempotency_key: None,
        };
        decode(self.exchange(&outgoing).await?).await
    }

    /// A call whose answer's body is not read (only whether it succeeded): no decoder is
    /// built for it, which the parents' bundle cannot afford for every answer.
    pub async fn send_only<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(), ApiError> {
        let outgoing = Outgoing {
            method,
            path,
            body: Body::json(body),
            idempotency_key: None,
        };
        super::answer_text(self.exchange(&outgoing).await?)
            .await
            .map(|_| ())
    }

    /// A POST carrying an `Idempotency-Key`.
    pub async fn post_with_key<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        key: &str,
    ) -> Result<T, ApiError> {
        let outgoing = Outgoing {
            method: Method::POST,
            path,
            body: Body::json(Some(body)),
            idempotency_key: Some(key),
        };
        decode(self.exchange(&outgoing).await?).await
    }

    /// A call whose body is raw bytes (a file).
    pub async fn send_raw<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &wasm_bindgen::JsValue,
    ) -> Result<T, ApiError> {
        let outgoing = Outgoing {
            method,
            path,
            body: Body::Bytes(body),
            idempotency_key: None,
        };
        decode(self.exchange(&outgoing).await?).await
    }

    /// Downloads `path` with the access token and returns a `blob:` URL to show or save it.
    pub async fn blob_url(&self, path: &str) -> Result<String, ApiError> {
        let response = self
            .exchange(&Outgoing {
                method: Method::GET,
                path,
                body: Body::Empty,
                idempotency_key: None,
            })
            .await?;
        if !response.ok() {
            return Err(answer_text(response)
                .await
                .err()
                .unwrap_or(ApiError::UnexpectedAnswer));
        }
        let content_type = response.headers().get("content-type").unwrap_or_default();
        let bytes = response.binary().await.map_err(|_| ApiError::Network)?;
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(&content_type);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map_err(|_| ApiError::UnexpectedAnswer)?;
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ApiError::UnexpectedAnswer)
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.call::<(), T>(Method::GET, path, None).await
    }

    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.call(Method::POST, path, Some(body)).await
    }
}

fn not_logged_in() -> ApiError {
    ApiError::Problem(portail_domain::api::Problem::new(
        401,
        ErrorCode::Unauthorized,
        ErrorCode::Unauthorized.message_fr(),
    ))
}

async fn gloo_timers_sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(ms).unwrap_or(300),
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
