//! Work that runs after a click: the button says « busy » exactly while it runs.

use std::future::Future;

use leptos::prelude::*;

/// Runs `work` in the background with `busy` true from now until it ends, however it ends
/// (an early `return` included): no form can stay greyed out because one branch forgot to
/// clear it. Leptos's `Action` does the same with a typed input and output; measured, the
/// first `Action` costs the parents' bundle 2.9 kB brotli (docs/performance.md), this nothing.
pub fn spawn_busy(busy: RwSignal<bool>, work: impl Future<Output = ()> + 'static) {
    busy.set(true);
    leptos::task::spawn_local(async move {
        work.await;
        busy.set(false);
    });
}
