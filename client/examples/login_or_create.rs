//! Send a WhatsApp OTP with Stytch.
//!
//! ```text
//! STYTCH_PROJECT_ID=project-test-… STYTCH_SECRET=secret-test-… STYTCH_PHONE=+10000000000 \
//!     cargo run -p stytch-client --example login_or_create
//! ```
//!
//! `STYTCH_BASE_URL` optionally overrides the API base URL.
//! Exit codes: 0 sent, 1 the call failed, 2 missing/invalid input.

use std::process::ExitCode;

use stytch_client::{Client, Error};
use stytch_types::otp::whatsapp::LoginOrCreateRequest;

const REQUIRED: [&str; 3] = ["STYTCH_PROJECT_ID", "STYTCH_SECRET", "STYTCH_PHONE"];

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (project_id, secret, phone) = (var(REQUIRED[0]), var(REQUIRED[1]), var(REQUIRED[2]));
    let (Some(project_id), Some(secret), Some(phone)) = (project_id, secret, phone) else {
        let missing: Vec<&str> = REQUIRED.into_iter().filter(|n| var(n).is_none()).collect();
        eprintln!(
            "missing environment variable(s): {}\n\
             usage: STYTCH_PROJECT_ID=project-test-… STYTCH_SECRET=secret-test-… \
             STYTCH_PHONE=+10000000000 cargo run -p stytch-client --example login_or_create",
            missing.join(", ")
        );
        return ExitCode::from(2);
    };

    let mut builder = Client::builder().project_id(project_id).secret(secret);
    if let Ok(base_url) = std::env::var("STYTCH_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let request = match LoginOrCreateRequest::builder().phone_number(phone).build() {
        Ok(request) => request,
        Err(e) => {
            eprintln!("invalid STYTCH_PHONE: {e}");
            return ExitCode::from(2);
        }
    };

    match client.otps().whatsapp().login_or_create(&request).await {
        Ok(response) => {
            println!(
                "sent: phone_id={} user_id={} user_created={} request_id={}",
                response.phone_id(),
                response.user_id(),
                response.user_created(),
                response.request_id()
            );
            ExitCode::SUCCESS
        }
        Err(Error::Api(api)) => {
            eprintln!(
                "Stytch rejected the request: HTTP {} {}: {} (request_id {}, see {})",
                api.status().as_u16(),
                api.error_type(),
                api.response().error_message(),
                api.response().request_id(),
                api.response().error_url()
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("request failed: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            if e.is_retryable() {
                eprintln!("(retryable; retry_after={:?})", e.retry_after());
            }
            ExitCode::FAILURE
        }
    }
}
