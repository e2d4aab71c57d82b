//! The `portail` command line: serve, migrate, seed the demo, create staff, print the spec.

use std::io::Write as _;

use anyhow::Context;
use clap::{Parser, Subcommand};
use portail_domain::auth::StaffRole;
use portail_domain::parse::Email;
use portail_service::accounts::staff::{CreateStaffError, NewStaff};
use portail_service::mailer::{Mailer, OutgoingEmail};
use portail_service::password::PasswordHasher;
use secrecy::ExposeSecret;

use crate::configuration::{Config, Settings};
use crate::startup::Application;

#[derive(Parser)]
#[command(
    name = "portail",
    version,
    about = "Portail Famille : le portail des familles d'une commune"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Applique les migrations puis sert l'API et l'application web.
    Serve,
    /// Applique les migrations de la base de données.
    Migrate,
    /// Installe les données de démonstration (Avermes, ses services, un administrateur).
    SeedDemo,
    /// Crée un compte agent ou administrateur ; le mot de passe est affiché une seule fois.
    CreateStaff {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = parse_role)]
        role: StaffRole,
        /// Le nom affiché (par défaut : l'adresse e-mail).
        #[arg(long)]
        name: Option<String>,
    },
    /// Affiche le document OpenAPI de l'API.
    Openapi,
    /// Compresse une fois pour toutes (brotli, gzip) les fichiers de l'application web
    /// construite, que le serveur enverra tels quels (`scripts/build-frontend` l'appelle).
    CompressAssets {
        /// Le dossier construit par Trunk (par défaut : `frontend/dist`).
        #[arg(default_value = "frontend/dist")]
        dir: std::path::PathBuf,
    },
    /// Envoie un e-mail de test, pour vérifier la configuration SMTP.
    SendTestEmail {
        #[arg(long)]
        to: String,
    },
    /// Crée des familles validées (un enfant chacune) d'un coup, pour les essais de charge :
    /// affiche en JSON leurs adresses et les identifiants des enfants.
    SeedBenchFamilies {
        #[arg(long)]
        count: usize,
        #[arg(long, default_value = "bench")]
        prefix: String,
        /// Le mot de passe commun (12 caractères au moins).
        #[arg(long)]
        password: String,
    },
    /// Lance la vérification annuelle des dossiers si sa date est venue (le serveur le fait
    /// chaque jour) ; `--today AAAA-MM-JJ` pour une autre date.
    Reverify {
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Désactive un compte du personnel (pour l'administrateur qui ne peut plus passer par
    /// les écrans) : ses sessions se ferment sur toutes les instances, ses clés d'API cessent.
    DeactivateStaff {
        #[arg(long)]
        email: String,
        /// L'administrateur qui reprend ses abonnements webhook, s'il en a.
        #[arg(long)]
        webhooks_to: Option<String>,
    },
    /// Crée une nouvelle clé de signature des jetons d'accès ; la précédente reste acceptée
    /// 31 minutes (la vie d'un jeton), puis est abandonnée. Les serveurs la lisent d'eux-mêmes.
    RotateJwtSecret,
    /// Applique maintenant les durées de conservation (le serveur le fait chaque jour) :
    /// comptes jamais confirmés, familles inactives, documents refusés ou remplacés, journal
    /// d'audit, anonymisation des factures anciennes. Écrit ce qu'il a fait dans le journal.
    ApplyRetention,
    /// Sauvegarde la base (copie cohérente, même pendant que le serveur écrit), les documents
    /// et le secret dans un dossier neuf, avec un manifeste (lignes par table, SHA-256).
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restaure une sauvegarde dans la base et le dossier de données configurés, qui doivent
    /// être vides ; vérifie chaque fichier avant et chaque table après.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
}

fn parse_role(raw: &str) -> Result<StaffRole, String> {
    StaffRole::parse(raw)
        .ok_or_else(|| "le rôle doit être «\u{a0}admin\u{a0}» ou «\u{a0}agent\u{a0}»".to_owned())
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Openapi = cli.command {
        let json = crate::openapi::spec_json()?;
        std::io::stdout().write_all(json.as_bytes())?;
        return Ok(());
    }
    if let Command::CompressAssets { dir } = &cli.command {
        return compress_assets(dir);
    }
    let config = Settings::load()?.resolve()?;
    crate::telemetry::init(config.log_format);
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let db = portail_service::db::connect(config.database_url.expose_secret()).await?;
            portail_service::db::migrate(&db).await?;
            say("Migrations appliquées.")
        }
        Command::SeedDemo => seed_demo(config).await,
        Command::CreateStaff { email, role, name } => {
            create_staff(config, &email, role, name).await
        }
        Command::SendTestEmail { to } => send_test_email(config, &to).await,
        Command::Reverify { today } => reverify(config, today).await,
        Command::DeactivateStaff { email, webhooks_to } => {
            deactivate_staff(config, &email, webhooks_to.as_deref()).await
        }
        Command::RotateJwtSecret => rotate_jwt_secret(config).await,
        Command::ApplyRetention => {
            let ctx = context(&config).await?;
            let report = portail_service::retention::apply(&ctx, &config.retention).await?;
            say(&format!(
                "Durées de conservation appliquées : {}.",
                report.summary_fr()
            ))
        }
        Command::Backup { to } => backup(config, &to).await,
        Command::Restore { from } => restore(config, &from).await,
        Command::SeedBenchFamilies {
            count,
            prefix,
            password,
        } => seed_bench_families(config, count, &prefix, password).await,
        Command::Openapi | Command::CompressAssets { .. } => Ok(()),
    }
}

fn compress_assets(dir: &std::path::Path) -> anyhow::Result<()> {
    let written = crate::assets::compress_dir(dir)?;
    anyhow::ensure!(
        !written.is_empty(),
        "aucun fichier à compresser dans {} : l'application web est-elle construite ?",
        dir.display()
    );
    let mut report = String::from("octets\tbrotli\tgzip\tfichier\n");
    for file in &written {
        let name = file.path.strip_prefix(dir).unwrap_or(&file.path);
        report.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            file.original,
            file.brotli,
            file.gzip,
            name.display()
        ));
    }
    say(report.trim_end())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let public_url = config.public_url.clone();
    let app = Application::build(config).await?;
    tracing::info!(port = app.port(), public_url = %public_url, "Portail Famille is serving");
    app.run_until_stopped()
        .await
        .context("le serveur s'est arrêté sur une erreur")?;
    tracing::info!("Portail Famille stopped");
    Ok(())
}

async fn context(config: &Config) -> anyhow::Result<portail_service::Context> {
    let db = portail_service::db::connect(config.database_url.expose_secret()).await?;
    portail_service::db::migrate(&db).await?;
    crate::startup::build_context(config, db)
}

async fn reverify(config: Config, today: Option<chrono::NaiveDate>) -> anyhow::Result<()> {
    let ctx = context(&config).await?;
    let today = today.unwrap_or_else(|| ctx.clock.today());
    let moved = portail_service::family::dossier::run_reverification(&ctx, today).await?;
    say(&format!(
        "Vérification annuelle au {today} : {} «\u{a0}à vérifier\u{a0}».",
        portail_domain::format::count(
            u64::try_from(moved).unwrap_or(u64::MAX),
            "dossier passé",
            "dossiers passés"
        )
    ))
}

async fn deactivate_staff(
    config: Config,
    email: &str,
    webhooks_to: Option<&str>,
) -> anyhow::Result<()> {
    use portail_service::accounts::staff::{self, DeactivateError, Deactivator};
    let ctx = context(&config).await?;
    let find = |raw: &str| {
        let ctx = &ctx;
        let raw = raw.to_owned();
        async move {
            let email = Email::parse(&raw).map_err(|e| anyhow::anyhow!("adresse e-mail : {e}"))?;
            staff::find_by_email(&ctx.db, &email)
                .await?
                .ok_or_else(|| anyhow::anyhow!("aucun compte du personnel n'a l'adresse {email}"))
        }
    };
    let target = find(email).await?;
    let webhooks_to = match webhooks_to {
        Some(raw) => Some(find(raw).await?),
        None => None,
    };
    let done = staff::deactivate(&ctx, target, Deactivator::CommandLine { webhooks_to })
        .await
        .map_err(|error| match error {
            DeactivateError::LastAdministrator => anyhow::anyhow!(
                "{email} est le dernier administrateur actif : créez d'abord un autre administrateur (portail create-staff --role admin)"
            ),
            DeactivateError::WebhooksNeedAnOwner(urls) => anyhow::anyhow!(
                "{email} a créé des abonnements webhook ({}) : nommez l'administrateur qui les reprend avec --webhooks-to",
                urls.join(", ")
            ),
            DeactivateError::NewOwnerNotAdmin => {
                anyhow::anyhow!("--webhooks-to doit désigner un autre administrateur actif")
            }
            other => anyhow::Error::new(other),
        })?;
    let mut report = format!(
        "Compte {} désactivé : {}, {}.",
        done.staff.email,
        count(done.sessions_ended, "session fermée", "sessions fermées"),
        count(
            done.api_keys_stopped,
            "clé d'API désormais refusée",
            "clés d'API désormais refusées"
        ),
    );
    if let Some(by) = &done.webhooks_taken_over_by {
        report.push_str(&format!(
            "\nAbonnements webhook repris par {by} : {}.",
            done.webhooks_taken_over
                .iter()
                .map(|w| w.url.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    say(&report)
}

async fn rotate_jwt_secret(config: Config) -> anyhow::Result<()> {
    let ctx = context(&config).await?;
    let kid = portail_service::signing_keys::rotate(&ctx.db, ctx.clock.now()).await?;
    say(&format!(
        "Nouvelle clé de signature «\u{a0}{kid}\u{a0}» : les serveurs signent avec elle d'ici 5 secondes. Les jetons signés avec la précédente restent acceptés {} minutes, puis sont refusés (les sessions continuent : les navigateurs obtiennent un nouveau jeton). Les clés d'API ne changent pas.",
        portail_service::signing_keys::grace().num_minutes()
    ))
}

async fn backup(config: Config, to: &std::path::Path) -> anyhow::Result<()> {
    let db = portail_service::db::connect(config.database_url.expose_secret()).await?;
    let clock = crate::startup::clock_for(config.test_clock, crate::startup::ACCEPTS_TEST_CLOCK)?;
    let source = portail_service::backup::Source {
        db: &db,
        database_url: config.database_url.expose_secret(),
        data_dir: &config.data_dir,
    };
    let manifest = portail_service::backup::backup(&source, to, clock.now()).await?;
    say(&format!(
        "Sauvegarde faite dans {} : base {} (migration {}, {}), {}{}.",
        to.display(),
        manifest.database,
        manifest.schema_version,
        count(manifest.tables.values().sum(), "ligne", "lignes"),
        count(
            manifest
                .files
                .iter()
                .filter(|f| f.path.starts_with("documents/"))
                .count() as u64,
            "document",
            "documents"
        ),
        if manifest
            .files
            .iter()
            .any(|f| f.path == portail_service::backup::SECRET_FILE)
        {
            ", le secret de signature"
        } else {
            ""
        }
    ))
}

async fn restore(config: Config, from: &std::path::Path) -> anyhow::Result<()> {
    let target = portail_service::backup::Target {
        database_url: config.database_url.expose_secret(),
        data_dir: &config.data_dir,
    };
    let restored = portail_service::backup::restore(from, &target).await?;
    let manifest = &restored.manifest;
    say(&format!(
        "Sauvegarde du {} restaurée dans {} : base {} (migration {}, {} dans {}, toutes vérifiées), {}{}.\nAu prochain démarrage, le serveur appliquera les migrations plus récentes s'il y en a.",
        manifest.created_at.format("%d/%m/%Y à %H:%M UTC"),
        config.data_dir.display(),
        manifest.database,
        manifest.schema_version,
        count(manifest.tables.values().sum(), "ligne", "lignes"),
        count(manifest.tables.len() as u64, "table", "tables"),
        count(
            restored.documents as u64,
            "document vérifié",
            "documents vérifiés"
        ),
        if restored.secret {
            ", le secret de signature (les sessions et les clés d'API restent valides)"
        } else {
            " (pas de secret dans la sauvegarde : gardez le même PORTAIL_JWT_SECRET)"
        }
    ))
}

fn count(n: u64, one: &str, many: &str) -> String {
    portail_domain::format::count(n, one, many)
}

async fn seed_bench_families(
    config: Config,
    count: usize,
    prefix: &str,
    password: String,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        password.chars().count() >= 12,
        "le mot de passe doit compter au moins 12 caractères"
    );
    let ctx = context(&config).await?;
    let hash = ctx
        .hasher
        .hash(&secrecy::SecretString::from(password))
        .await?;
    let created =
        portail_service::seed_families::bulk_validated(&ctx, prefix, count, &hash).await?;
    let families: Vec<serde_json::Value> = created
        .into_iter()
        .map(|(email, family_id, child_id)| serde_json::json!({ "email": email, "family_id": family_id, "child_id": child_id }))
        .collect();
    say(&serde_json::to_string(&families)?)
}

async fn seed_demo(config: Config) -> anyhow::Result<()> {
    let ctx = context(&config).await?;
    let report = portail_service::seed::demo(&ctx).await?;
    say(&format!(
        "Données de démonstration installées (commune d'Avermes, {}).",
        portail_domain::format::count(
            u64::try_from(report.services_created).unwrap_or(u64::MAX),
            "service ajouté",
            "services ajoutés"
        )
    ))?;
    if let Some(password) = &report.families_password {
        say(&format!(
            "{} de démonstration (famille.martin@, famille.bernard@, famille.petit@, famille.durand@avermes.example) / mot de passe : {}\n(ce mot de passe ne sera plus affiché)",
            portail_domain::format::count(
                u64::try_from(report.families_created).unwrap_or(u64::MAX),
                "famille",
                "familles"
            ),
            password.expose_secret()
        ))?;
    }
    if report.invoices_created > 0 {
        say(&format!(
            "{} du mois dernier pour les familles de démonstration (certaines payées, d'autres non).",
            portail_domain::format::count(
                u64::try_from(report.invoices_created).unwrap_or(u64::MAX),
                "facture émise",
                "factures émises"
            )
        ))?;
    }
    match report.admin_password {
        Some(password) => say(&format!(
            "Administrateur de démonstration : {} / mot de passe : {}\n(ce mot de passe ne sera plus affiché)",
            report.admin_email,
            password.expose_secret()
        )),
        None => say(&format!(
            "L'administrateur de démonstration {} existait déjà ; son mot de passe est inchangé.",
            report.admin_email
        )),
    }
}

async fn create_staff(
    config: Config,
    email: &str,
    role: StaffRole,
    name: Option<String>,
) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("adresse e-mail : {e}"))?;
    let db = portail_service::db::connect(config.database_url.expose_secret()).await?;
    portail_service::db::migrate(&db).await?;
    let password = portail_service::accounts::staff::generate_password();
    let new = NewStaff {
        display_name: name.unwrap_or_else(|| email.as_str().to_owned()),
        email: email.clone(),
        role,
        password: password.clone(),
    };
    match portail_service::accounts::staff::create(&db, &PasswordHasher::for_this_machine(), new)
        .await
    {
        Ok(_) => say(&format!(
            "Compte {} créé pour {} / mot de passe : {}\n(ce mot de passe ne sera plus affiché)",
            role.label_fr().to_lowercase(),
            email,
            password.expose_secret()
        )),
        Err(CreateStaffError::EmailTaken) => {
            anyhow::bail!("un compte du personnel utilise déjà l'adresse {email}")
        }
        Err(error) => Err(anyhow::Error::new(error)),
    }
}

async fn send_test_email(config: Config, to: &str) -> anyhow::Result<()> {
    let to = Email::parse(to).map_err(|e| anyhow::anyhow!("adresse e-mail : {e}"))?;
    let mailer = Mailer::new(
        config.smtp_url.as_ref().map(|url| url.expose_secret()),
        &config.outbox_dir,
        &config.mail_from,
    )?;
    mailer
        .send(&OutgoingEmail {
            to: to.to_string(),
            subject: "Portail Famille : e-mail de test".to_owned(),
            text: "Bonjour,\n\nCet e-mail de test confirme que le Portail Famille sait envoyer des messages.\n\nLe Portail Famille".to_owned(),
            html: Some("<p>Bonjour,</p><p>Cet e-mail de test confirme que le <strong>Portail Famille</strong> sait envoyer des messages.</p><p>Le Portail Famille</p>".to_owned()),
        })
        .await?;
    say(&format!(
        "E-mail de test envoyé à {to} ({}).",
        mailer.describe()
    ))
}

/// Output meant for the operator at the terminal (not a log line).
fn say(message: &str) -> anyhow::Result<()> {
    writeln!(std::io::stdout(), "{message}").context("impossible d'écrire sur la sortie standard")
}
