//! Invoice PDFs.
