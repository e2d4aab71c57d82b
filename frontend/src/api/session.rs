//! The current user: an access token kept in memory only (never in storage a script could
//! read later), restored at load from the `HttpOnly` session cookie. One session per realm, so
//! a family and a staff member can be logged in side by side.

use gloo_net::http::{Method, Request, RequestBuilder};
use leptos::prelude::*;
use portail_domain::ErrorCode;
use portail_domain::api::SessionResponse;
use portail_domain::auth::AccountKind;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ApiError, send, with_json};

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
        self.token.set(None);
        self.state.set(SessionState::Anonymous);
    }

    /// On first use, tries the cookie; afterwards answers from memory.
    pub async fn restore(&self) -> bool {
        match self.state.get_untracked() {
            SessionState::LoggedIn => true,
            SessionState::Anonymous => false,
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
        for attempt in 0..2 {
            let result: Result<SessionResponse, ApiError> = send(with_json::<()>(
                Request::post(&self.auth_path("refresh")),
                None,
            ))
            .await;
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
        let _: Result<(), ApiError> = send(with_json::<()>(
            Request::post(&self.auth_path("logout")),
            None,
        ))
        .await;
        self.forget();
    }

    fn builder(&self, method: Method, path: &str) -> RequestBuilder {
        let builder = RequestBuilder::new(path).method(method);
        match self.token.get_untracked() {
            Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
            None => builder,
        }
    }

    /// A call that needs the account: renews the access token once if it has expired.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ApiError> {
        if !self.restore().await {
            return Err(not_logged_in());
        }
        let first = send(with_json(self.builder(method.clone(), path), body)).await;
        match first {
            Err(error) if error.status() == Some(401) => {
                if self.refresh().await {
                    send(with_json(self.builder(method, path), body)).await
                } else {
                    Err(error)
                }
            }
            other => other,
        }
    }

    /// A POST carrying an `Idempotency-Key`: the renewal's retry reuses it, so the server
    /// applies the body once whatever happens on the way.
    pub async fn post_with_key<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        key: &str,
    ) -> Result<T, ApiError> {
        if !self.restore().await {
            return Err(not_logged_in());
        }
        let build = || {
            with_json(
                self.builder(Method::POST, path)
                    .header("Idempotency-Key", key),
                Some(body),
            )
        };
        match send(build()).await {
            Err(error) if error.status() == Some(401) && self.refresh().await => {
                send(build()).await
            }
            other => other,
        }
    }

    /// A call whose body is raw bytes (a file), with the same token renewal.
    pub async fn send_raw<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &wasm_bindgen::JsValue,
    ) -> Result<T, ApiError> {
        if !self.restore().await {
            return Err(not_logged_in());
        }
        let build = || {
            self.builder(method.clone(), path)
                .header("Content-Type", "application/octet-stream")
                .body(body.clone())
        };
        match send(build()).await {
            Err(error) if error.status() == Some(401) && self.refresh().await => {
                send(build()).await
            }
            other => other,
        }
    }

    /// Downloads `path` with the access token and returns a `blob:` URL to show or save it.
    pub async fn blob_url(&self, path: &str) -> Result<String, ApiError> {
        if !self.restore().await {
            return Err(not_logged_in());
        }
        let mut response = self
            .builder(Method::GET, path)
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        if response.status() == 401 && self.refresh().await {
            response = self
                .builder(Method::GET, path)
                .send()
                .await
                .map_err(|_| ApiError::Network)?;
        }
        if !response.ok() {
            return Err(super::decode::<()>(response)
                .await
                .err()
                .unwrap_or(ApiError::Network));
        }
        let content_type = response.headers().get("content-type").unwrap_or_default();
        let bytes = response.binary().await.map_err(|_| ApiError::Network)?;
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(&content_type);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map_err(|_| ApiError::Network)?;
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ApiError::Network)
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
