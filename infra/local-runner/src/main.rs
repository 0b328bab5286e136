//! `beseda`: the whole product in one process on the embedded adapters — every function's
//! routes, the widget, the cabinet, a demo site, the queue consumers and the schedules — with
//! its data in one folder. The admin commands (`create-user`, `dead-letters`, `replay`,
//! `export`/`import` of a project) work on
//! the data folder or, with `--aws`, on a deployment: the AWS adapters built from the same
//! environment the functions read (`TABLE_NAME`, `QUEUE_URL_<NAME>`, `PUBLIC_URL`, …).

/// mimalloc instead of glibc's malloc: a chat message allocates a lot of small, short-lived
/// JSON values, and glibc's allocator was a sixth of the runner's CPU in the profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod server;
mod site;
mod workers;
mod ws;

use beseda_domain::accounts::{self, NewUser};
use beseda_domain::{App, Settings, transfer};
use clap::{Parser, Subcommand};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "beseda", version, about = "Беседа: omnichannel business chat, all in one process")]
struct Cli {
    /// The folder that holds all data (created when missing).
    #[arg(long, env = "BESEDA_DATA", default_value = "./data", global = true)]
    data: PathBuf,
    /// Admin commands act on the AWS deployment named by the functions' environment instead.
    #[arg(long, global = true)]
    aws: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serves everything (the default).
    Serve(server::Options),
    #[command(flatten)]
    Admin(Admin),
}

#[derive(Subcommand)]
enum Admin {
    /// Creates an account that can log in to the cabinet.
    CreateUser {
        #[arg(long)]
        email: String,
        /// Generated and printed when omitted.
        #[arg(long)]
        password: Option<String>,
        #[arg(long, default_value = "")]
        first_name: String,
        #[arg(long, default_value = "")]
        last_name: String,
    },
    /// Shows the messages a queue gave up on (its dead-letter queue).
    DeadLetters {
        #[arg(long, default_value = "notifications")]
        queue: String,
    },
    /// Moves a queue's dead letters back onto it, to be tried again.
    Replay {
        #[arg(long, default_value = "notifications")]
        queue: String,
    },
    /// Writes a project's data with its team's accounts, one JSON item per line (password
    /// hashes included: keep the file safe).
    Export {
        #[arg(long)]
        project: String,
        /// Standard output when omitted.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Loads what `export` wrote; refused when the project exists here already.
    Import {
        /// Standard input when omitted.
        #[arg(long)]
        file: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    beseda_http::init_logs();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or_else(|| Command::Serve(server::Options::parse_from(["serve"])));
    if cli.aws {
        let Command::Admin(command) = command else {
            anyhow::bail!("`serve` runs on the embedded adapters; on AWS the functions serve (see README)");
        };
        let app = beseda_lambda::app_from_env(None).await.map_err(|e| anyhow::anyhow!("--aws: {e}"))?;
        return admin(&app, command).await;
    }
    let clock = Arc::new(beseda_ports::SystemClock);
    let embedded = beseda_embedded::open(&cli.data, beseda_ports::queue::QUEUES, clock).map_err(|e| {
        anyhow::anyhow!(
            "cannot open the data folder {}: {e} (is beseda already running on it? stop it first)",
            cli.data.display()
        )
    })?;
    match command {
        Command::Serve(options) => server::run(cli.data, embedded, options).await,
        Command::Admin(command) => admin(&App { ports: embedded.ports, settings: Settings::from_env() }, command).await,
    }
}

/// An admin command on either adapter set.
async fn admin(app: &App, command: Admin) -> anyhow::Result<()> {
    match command {
        Admin::CreateUser { email, password, first_name, last_name } => {
            let generated = password.is_none();
            let password = password.unwrap_or_else(beseda_domain::secrets::password);
            let user =
                accounts::create_user(app, NewUser { email, first_name, last_name, phone: None }, &password).await?;
            println!("created {}", user.email);
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        Admin::DeadLetters { queue } => {
            let dead = app.ports.queue.dead_letters(&queue, 1000).await?;
            for body in &dead {
                println!("{body}");
            }
            eprintln!("{} dead letter(s) in {queue}", dead.len());
            Ok(())
        }
        Admin::Replay { queue } => {
            let moved = app.ports.queue.replay_dead_letters(&queue).await?;
            println!("{moved} message(s) moved back to {queue}");
            Ok(())
        }
        Admin::Export { project, file } => {
            let items = transfer::export(app, &project).await?;
            let mut out: Box<dyn Write> = match &file {
                Some(path) => Box::new(std::fs::File::create(path)?),
                None => Box::new(std::io::stdout().lock()),
            };
            for item in &items {
                serde_json::to_writer(&mut out, item)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            eprintln!("exported {} item(s) of project {project}", items.len());
            Ok(())
        }
        Admin::Import { file } => {
            let input: Box<dyn BufRead> = match &file {
                Some(path) => Box::new(std::io::BufReader::new(std::fs::File::open(path)?)),
                None => Box::new(std::io::stdin().lock()),
            };
            let mut items = Vec::new();
            for (n, line) in input.lines().enumerate() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                items.push(serde_json::from_str(&line).map_err(|e| anyhow::anyhow!("line {}: {e}", n + 1))?);
            }
            let written = transfer::import(app, items).await?;
            println!("imported {written} item(s)");
            Ok(())
        }
    }
}
