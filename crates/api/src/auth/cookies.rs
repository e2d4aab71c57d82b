//! The refresh token travels only in an `HttpOnly; SameSite=Strict` cookie scoped to the
//! refresh and logout endpoints of its realm, so a family and a staff session can coexist in
//! one browser and scripts never see either.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use portail_domain::auth::AccountKind;
use portail_service::accounts::sessions::{IssuedSession, REMEMBERED_LIFETIME};

pub fn name(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Family => "portail_refresh",
        AccountKind::Staff => "portail_staff_refresh",
    }
}

pub fn path(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Family => "/api/v1/auth",
        AccountKind::Staff => "/api/v1/staff/auth",
    }
}

/// Remembered sessions last 30 days; others end with the browser (no `Max-Age`).
pub fn refresh_cookie(session: &IssuedSession, secure: bool) -> Cookie<'static> {
    let mut cookie = Cookie::build(name(session.kind), session.refresh_token.clone())
        .path(path(session.kind))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    if session.remember {
        cookie.set_max_age(CookieDuration::seconds(REMEMBERED_LIFETIME.num_seconds()));
    }
    cookie
}

pub fn removal(kind: AccountKind, secure: bool) -> Cookie<'static> {
    let mut cookie = Cookie::build(name(kind), "")
        .path(path(kind))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    cookie.make_removal();
    cookie
}

/// A companion cookie readable by scripts that only says « a session cookie was set », so the
/// web app does not ask for a refresh (and get a 401) on every visit of an anonymous parent.
/// It holds no secret.
pub fn hint_name(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Family => "portail_has_session",
        AccountKind::Staff => "portail_staff_has_session",
    }
}

pub fn hint_cookie(session: &IssuedSession, secure: bool) -> Cookie<'static> {
    let mut cookie = Cookie::build(hint_name(session.kind), "1")
        .path("/")
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    if session.remember {
        cookie.set_max_age(CookieDuration::seconds(REMEMBERED_LIFETIME.num_seconds()));
    }
    cookie
}

pub fn hint_removal(kind: AccountKind, secure: bool) -> Cookie<'static> {
    let mut cookie = Cookie::build(hint_name(kind), "")
        .path("/")
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    cookie.make_removal();
    cookie
}

pub fn presented(req: &HttpRequest, kind: AccountKind) -> Option<String> {
    req.cookie(name(kind))
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use uuid::Uuid;

    fn session(remember: bool) -> IssuedSession {
        IssuedSession {
            session_id: Uuid::nil(),
            kind: AccountKind::Family,
            account_id: Uuid::nil(),
            family_id: None,
            role: None,
            remember,
            expires_at: Utc::now(),
            refresh_token: "secret".to_owned(),
        }
    }

    #[test]
    fn the_refresh_cookie_is_secure_behind_https_and_never_readable_by_scripts() {
        let cookie = refresh_cookie(&session(false), true).to_string();
        assert!(cookie.contains("Secure"), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Strict"), "{cookie}");
        assert!(!cookie.contains("Max-Age"), "{cookie}");
        let hint = hint_cookie(&session(true), true).to_string();
        assert!(
            hint.contains("Secure") && !hint.contains("HttpOnly") && !hint.contains("secret"),
            "{hint}"
        );
    }
}
