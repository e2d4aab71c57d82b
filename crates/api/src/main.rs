use std::process::ExitCode;

use clap::Parser as _;
use portail_api::cli::{self, Cli};

// Many threads allocate and free per request; mimalloc keeps that cheap (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let parsed = Cli::parse();
    match cli::run(parsed).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One clear sentence (with its causes), not a backtrace.
            eprintln!("Erreur : {error:#}");
            ExitCode::FAILURE
        }
    }
}
