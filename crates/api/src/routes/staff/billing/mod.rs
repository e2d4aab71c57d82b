//! Billing for staff (docs/billing.md): tariffs and the invoice run for the agents of a
//! service; the PSU parameters, the billing settings, payments and the outstanding list for
//! administrators (the treasury).

mod certificates;
mod direct_debit;
mod invoices;
mod payments;
mod settings;
mod tariffs;

pub use certificates::*;
pub use direct_debit::*;
pub use invoices::*;
pub use payments::*;
pub use settings::*;
pub use tariffs::*;
