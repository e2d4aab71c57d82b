//! Online payment through a provider shaped like PayFiP.
