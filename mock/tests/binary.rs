//! The `stytch-mock` binary: starts, says where, answers, refuses.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

/// Kills the child when the test ends, passed or not.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_every_operation_on_the_given_port() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stytch-mock"))
        .args(["--port", "0", "--seed", "3"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let _running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a first line");
    assert!(
        line.starts_with("stytch-mock: 184 operations at http://127.0.0.1:"),
        "{line}"
    );
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a URL");
    let client = reqwest::Client::new();
    let ok = client
        .get(format!("{url}/v1/users/user-test-1"))
        .basic_auth("project-test-1", Some("secret"))
        .send()
        .await
        .expect("answered");
    assert_eq!(ok.status(), 200);
    let refused = client
        .post(format!("{url}/v1/otps/whatsapp/login_or_create"))
        .basic_auth("project-test-1", Some("secret"))
        .body(r#"{"phone_number": "12025550162"}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(refused.status(), 400);
    let text = refused.text().await.expect("a body");
    assert!(text.contains("$.phone_number"), "{text}");
}
