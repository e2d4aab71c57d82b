//! `portail-bench`: load scenarios against a real `portail serve`, started here on a fresh
//! database (SQLite by default, PostgreSQL with `--database-url`).
//!
//! - `monday-rush`: N validated families each submit, all at once through C concurrent
//!   clients, a recap of 5 lines on days whose total capacity is far below the demand. Prints
//!   recaps/s and latencies, then checks the invariants (never over capacity, every accepted
//!   line present, every refusal explained, no 5xx) and exits non-zero when one fails.
//!   `--shuffle` lists each recap's days in a random order.
//! - `planning-read`: C concurrent clients read the month grid for D seconds.
//! - `invoice-run`: every family books 20 lines of a month; the month's invoices are issued
//!   (timed), issued again (nothing new, timed), and PDFs fetched for D seconds (PDFs/s).
//! - `waiting-rush`: a full day with a waiting list; the holders cancel while every other
//!   family books the day directly, all at once: the freed places go to the waiting children
//!   in their order, never to the others, never past capacity (`waiting.rs`).
//! - `crash-drill`: `kill -9` a server in the middle of a booking storm and start it again;
//!   every acknowledged line kept, none other, capacity held, each e-mail sent once
//!   (`crash.rs`).
//! - `staff-search`: the staff's families list and searches (every family, one e-mail,
//!   nobody, the last page), each timed alone (`search.rs`).
//! - `--town N` seeds N more families (files only, never logged in) beside those who log in:
//!   every scenario then runs on a large town's data set.
//! - `--instances N` starts N processes on the one database and spreads the clients over
//!   them; then checks what must hold across processes (`instances.rs`).
//!
//! See BENCHMARKS.md for the figures and how to rerun them.

#![allow(
    clippy::print_stdout,
    reason = "a command-line tool that prints its figures"
)]

mod billing;
mod crash;
mod export;
mod instances;
mod read;
mod rush;
mod search;
mod server;
mod stats;
mod waiting;
mod year;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// The load tool shares the server's cores: the same allocator keeps its share small.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "portail-bench",
    about = "Charge mesurée contre un vrai «\u{a0}portail serve\u{a0}»"
)]
struct Cli {
    #[command(subcommand)]
    scenario: Scenario,
    #[command(flatten)]
    server: ServerArgs,
}

#[derive(Debug, clap::Args)]
struct ServerArgs {
    /// The `portail` binary to start (default: beside this one, same build profile).
    #[arg(long, global = true)]
    portail: Option<PathBuf>,
    /// A fresh, empty database (`postgres://…`); default: SQLite in a temporary directory.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Validated families created through the bulk seed path (`portail seed-bench-families`).
    #[arg(long, global = true, default_value_t = 2000)]
    families: usize,
    /// Families seeded besides those who log in (files only, never logged in): a large
    /// town's data set (`--town 48000` with the default 2,000: 50,000 files).
    #[arg(long, global = true, default_value_t = 0)]
    town: usize,
    /// Concurrent HTTP clients.
    #[arg(long, global = true, default_value_t = 200)]
    clients: usize,
    /// `portail serve` processes on the one database; the clients are spread over them, and
    /// with 2 or more the multi-instance checks run after the scenario.
    #[arg(long, global = true, default_value_t = 1)]
    instances: usize,
    /// The SMTP server the instances send through (default: `.eml` files in their folder).
    #[arg(long, global = true)]
    smtp_url: Option<String>,
    /// The maildir where that SMTP server stores what it receives (to count e-mails).
    #[arg(long, global = true)]
    maildir: Option<PathBuf>,
    /// The servers' clock starts at this RFC 3339 instant (`PORTAIL_TEST_CLOCK`: debug builds
    /// only): scripts/test runs the rushes on a fixed day, never the machine's.
    #[arg(long, global = true)]
    clock: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Subcommand)]
enum Scenario {
    /// Every family submits a 5-line recap at once; the capacity is far below the demand.
    MondayRush {
        /// Places per day on the benchmark's unit (5 days are booked).
        #[arg(long, default_value_t = 40)]
        capacity: u32,
        /// Each recap lists its days in a random order.
        #[arg(long)]
        shuffle: bool,
    },
    /// The month grid, read again and again.
    PlanningRead {
        /// Seconds of measurement (after a one-second warm-up).
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Every family books 20 lines of a month; the month is invoiced (measured), invoiced
    /// again (nothing new, measured), and the PDFs are fetched for a few seconds.
    InvoiceRun {
        /// Seconds of PDF fetching.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Every family books 20 lines of a month; the month's bookings are exported as CSV with an
    /// API key (streamed), three times: rows a second and the server's memory during it.
    ExportCsv,
    /// `kill -9` a server in the middle of a booking storm, start it again, resend what got
    /// no answer: every acknowledged line kept, capacity held, each e-mail sent once.
    CrashDrill {
        /// Places per day on the benchmark's unit (5 days are booked).
        #[arg(long, default_value_t = 20)]
        capacity: u32,
    },
    /// Every family sends, at once, a typical week (every weekday) for the ALJA period from
    /// the benchmark's first bookable day: a school year's recap each.
    YearRush {
        /// Days the pattern covers from the first bookable day (400 at most).
        #[arg(long, default_value_t = 300)]
        days: i64,
    },
    /// The staff's families list and search, each case timed alone many times.
    StaffSearch {
        /// Requests per case.
        #[arg(long, default_value_t = 200)]
        rounds: usize,
    },
    /// A full day with a waiting list: holders cancel while the others book it directly.
    WaitingRush {
        /// Places on the day (held first, then freed at once).
        #[arg(long, default_value_t = 20)]
        capacity: u32,
        /// Children on the waiting list.
        #[arg(long, default_value_t = 60)]
        waiters: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            println!("erreur : {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            println!("ÉCHEC : un invariant n'est pas tenu (voir ci-dessus)");
            ExitCode::FAILURE
        }
        Err(e) => {
            println!("erreur : {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<bool> {
    let mut server = server::BenchServer::start(
        cli.server.portail.clone(),
        cli.server.database_url.clone(),
        cli.server.instances,
        cli.server.smtp_url.clone(),
        cli.server.clock,
    )
    .await?;
    let setup = server::prepare(&server, cli.server.families).await?;
    if cli.server.town > 0 {
        let started = std::time::Instant::now();
        server.cli(&[
            "seed-bench-families",
            "--count",
            &cli.server.town.to_string(),
            "--prefix",
            "ville",
            "--password",
            server::PASSWORD,
        ])?;
        println!(
            "{} dossiers de plus (la ville) en {:.1} s, hors mesure",
            cli.server.town,
            started.elapsed().as_secs_f64()
        );
    }
    println!(
        "serveur : {} — base : {} — {} familles, {} clients",
        server.base_urls.join(" + "),
        server.database_label(),
        setup.families.len(),
        cli.server.clients
    );
    if let Scenario::CrashDrill { capacity } = cli.scenario {
        return crash::run(
            &mut server,
            &setup,
            cli.server.clients,
            capacity,
            cli.server.maildir.as_deref(),
        )
        .await;
    }
    let held = match cli.scenario {
        Scenario::MondayRush { capacity, shuffle } => {
            rush::run(&server, &setup, cli.server.clients, capacity, shuffle).await?
        }
        Scenario::PlanningRead { seconds } => {
            read::run(&server, &setup, cli.server.clients, seconds).await?
        }
        Scenario::InvoiceRun { seconds } => {
            billing::run(&server, &setup, cli.server.clients, seconds).await?
        }
        Scenario::ExportCsv => export::run(&server, &setup, cli.server.clients).await?,
        Scenario::YearRush { days } => year::run(&server, &setup, cli.server.clients, days).await?,
        Scenario::StaffSearch { rounds } => search::run(&server, &setup, rounds).await?,
        Scenario::WaitingRush { capacity, waiters } => {
            waiting::run(&server, &setup, capacity, waiters).await?
        }
        Scenario::CrashDrill { .. } => unreachable!("run above"),
    };
    if server.base_urls.len() < 2 {
        return Ok(held);
    }
    Ok(instances::run(&server, &setup, cli.server.maildir.as_deref()).await? && held)
}
