//! `stytch-mock --port 4010`: the mock as a process, for tests in any
//! language. Requests are not recorded (memory stays flat); answers are the
//! schema-valid defaults.
#![forbid(unsafe_code)]

use std::net::IpAddr;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(
    version,
    about = "A local Stytch API for tests: every operation, requests validated"
)]
struct Args {
    /// Port to listen on (0: a free one).
    #[arg(long, default_value_t = 4010)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Seed of the default responses' ids.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Accept only this project id (with --secret); default: any
    /// `project-test-…` id with a non-empty secret.
    #[arg(long, requires = "secret")]
    project_id: Option<String>,
    #[arg(long, requires = "project_id")]
    secret: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut builder = stytch_mock::MockServer::builder()
        .host(args.host)
        .port(args.port)
        .seed(args.seed)
        .record(false);
    if let (Some(id), Some(secret)) = (args.project_id, args.secret) {
        builder = builder.credentials(id, secret);
    }
    let mock = match builder.start().await {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("error: cannot listen on {}:{}: {e}", args.host, args.port);
            return ExitCode::FAILURE;
        }
    };
    println!(
        "stytch-mock: {} operations at {} (also for {})",
        stytch_mock::operations().count(),
        mock.url(),
        stytch_mock::servers().join(", ")
    );
    match tokio::signal::ctrl_c().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot wait for Ctrl-C: {e}");
            ExitCode::FAILURE
        }
    }
}
