use leptos::html::Dialog;
use leptos::prelude::*;

/// A question before an action that cannot be undone (« Retirer Léa ? »), in the browser's own
/// modal `<dialog>`: focus moves into it and comes back to the button that opened it, Escape
/// closes it, the page behind is inert for a screen reader. `open` opens and closes it;
/// `on_confirm` runs on the confirming button only.
#[component]
pub fn ConfirmDialog(
    #[prop(into)] id: String,
    open: RwSignal<bool>,
    #[prop(into)] title: String,
    #[prop(into)] confirm_label: String,
    on_confirm: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move |_| {
        let Some(element) = dialog.get() else {
            return;
        };
        if open.get() {
            if !element.open() {
                let _ = element.show_modal();
            }
        } else if element.open() {
            element.close();
        }
    });
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <dialog node_ref=dialog id=id class="dialog" aria-labelledby=labelled_by on:close=move |_| open.set(false)>
            <h2 id=title_id>{title}</h2>
            {children()}
            <div class="btn-row">
                <button type="button" class="btn btn--danger" on:click=move |_| { open.set(false); on_confirm.run(()); }>{confirm_label}</button>
                <button type="button" class="btn btn--secondary" autofocus=true on:click=move |_| open.set(false)>"Annuler"</button>
            </div>
        </dialog>
    }
}
