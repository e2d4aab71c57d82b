//! The sessions behind access tokens, remembered for a few seconds.
//!
//! Every authenticated request checks that its session is still open (so that a logout or a
//! password change ends the other tokens at once). That check was one database read per
//! request, most of the cost of a grid read on SQLite. Open sessions are now remembered for
//! [`TTL`], and revocations made by this process are **tombstoned before their transaction
//! commits**: a tombstone wins over the cache and over a database read that raced with it,
//! so on one instance a revocation takes effect immediately. Another instance's revocation
//! is seen within [`TTL`]. See docs/authentication.md.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, SubsecRound as _, Utc};
use portail_domain::auth::AccountKind;
use uuid::Uuid;

/// How long an open session is trusted without reading it again.
pub const TTL: Duration = Duration::from_secs(5);
/// Tombstones outlive any read that could have raced with their revocation.
const TOMBSTONE_LIFE: Duration = Duration::from_secs(600);
/// Beyond this, the cache starts afresh (a bound on memory, not an expected size).
const MAX_ENTRIES: usize = 200_000;

#[derive(Debug, Clone, Copy)]
pub struct OpenSession {
    pub kind: AccountKind,
    pub account_id: Uuid,
    /// The family the session acts for, as the server recorded it: the family account's own,
    /// or the one an agent acts for; `None` for a staff session.
    pub family_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Default)]
struct Inner {
    open: HashMap<Uuid, (OpenSession, Instant)>,
    revoked_sessions: HashMap<Uuid, Instant>,
    /// Every session of the account opened before the instant is revoked.
    revoked_accounts: HashMap<(AccountKind, Uuid), (DateTime<Utc>, Instant)>,
}

impl Inner {
    fn tombstoned(&self, session_id: Uuid, session: &OpenSession) -> bool {
        self.revoked_sessions.contains_key(&session_id)
            || self
                .revoked_accounts
                .get(&(session.kind, session.account_id))
                // PostgreSQL keeps microseconds: the session opened with the new password, in
                // the same instant as the revocation, must not compare as older.
                .is_some_and(|(before, _)| {
                    session.created_at.trunc_subsecs(6) < before.trunc_subsecs(6)
                })
    }

    fn prune(&mut self, now: Instant) {
        self.revoked_sessions
            .retain(|_, at| now.duration_since(*at) < TOMBSTONE_LIFE);
        self.revoked_accounts
            .retain(|_, (_, at)| now.duration_since(*at) < TOMBSTONE_LIFE);
        self.open.retain(|_, (_, at)| now.duration_since(*at) < TTL);
    }
}

#[derive(Default)]
pub struct SessionCache {
    inner: Mutex<Inner>,
}

impl SessionCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding this lock leaves plain maps behind: still usable.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A remembered open session, unless revoked here or older than [`TTL`].
    pub fn get(&self, session_id: Uuid) -> Option<OpenSession> {
        let inner = self.lock();
        let (session, at) = inner.open.get(&session_id)?;
        (at.elapsed() < TTL && !inner.tombstoned(session_id, session)).then_some(*session)
    }

    /// Remembers a session just read as open; answers whether it still counts as open (a
    /// revocation may have been tombstoned while it was read).
    pub fn remember(&self, session_id: Uuid, session: OpenSession) -> bool {
        let mut inner = self.lock();
        if inner.tombstoned(session_id, &session) {
            return false;
        }
        if inner.open.len() >= MAX_ENTRIES {
            inner.prune(Instant::now());
            if inner.open.len() >= MAX_ENTRIES {
                inner.open.clear();
            }
        }
        inner.open.insert(session_id, (session, Instant::now()));
        true
    }

    /// Called before the revocation is written.
    pub fn revoke(&self, session_id: Uuid) {
        let mut inner = self.lock();
        let now = Instant::now();
        if inner.revoked_sessions.len() > 10_000 {
            inner.prune(now);
        }
        inner.open.remove(&session_id);
        inner.revoked_sessions.insert(session_id, now);
    }

    /// Called before the revocation of every session of an account opened before `before`.
    pub fn revoke_all(&self, kind: AccountKind, account_id: Uuid, before: DateTime<Utc>) {
        let mut inner = self.lock();
        let now = Instant::now();
        if inner.revoked_accounts.len() > 10_000 {
            inner.prune(now);
        }
        inner.open.retain(|_, (s, _)| {
            !(s.kind == kind
                && s.account_id == account_id
                && s.created_at.trunc_subsecs(6) < before.trunc_subsecs(6))
        });
        inner
            .revoked_accounts
            .insert((kind, account_id), (before, now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(account_id: Uuid, created_at: DateTime<Utc>) -> OpenSession {
        OpenSession {
            kind: AccountKind::Family,
            account_id,
            family_id: None,
            created_at,
            expires_at: crate::clock::after(created_at, chrono::Duration::days(1)),
        }
    }

    #[test]
    fn a_revocation_beats_the_cache_and_a_read_that_raced_with_it() {
        let cache = SessionCache::default();
        let (sid, account) = (Uuid::new_v4(), Uuid::new_v4());
        let t0 = Utc::now();
        assert!(cache.remember(sid, open(account, t0)));
        assert!(cache.get(sid).is_some());
        cache.revoke(sid);
        assert!(cache.get(sid).is_none());
        // A read that started before the revocation committed comes back with "open".
        assert!(!cache.remember(sid, open(account, t0)));
        assert!(cache.get(sid).is_none());
    }

    #[test]
    fn revoking_an_account_spares_the_session_opened_with_the_new_password() {
        let cache = SessionCache::default();
        let account = Uuid::new_v4();
        let t0 = Utc::now();
        let (old, new) = (Uuid::new_v4(), Uuid::new_v4());
        assert!(cache.remember(old, open(account, t0)));
        let change = t0 + chrono::Duration::seconds(10) + chrono::Duration::nanoseconds(789);
        cache.revoke_all(AccountKind::Family, account, change);
        assert!(cache.get(old).is_none());
        assert!(!cache.remember(old, open(account, t0)));
        assert!(cache.remember(new, open(account, change)));
        // As read back from PostgreSQL (microseconds), the new session is not older either.
        let stored = change.trunc_subsecs(6);
        assert!(cache.remember(Uuid::new_v4(), open(account, stored)));
        assert!(cache.get(new).is_some());
        // Another account is untouched.
        let other = Uuid::new_v4();
        assert!(cache.remember(Uuid::new_v4(), open(other, t0)));
    }
}
