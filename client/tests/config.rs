//! Client construction rules: base URL choice and validation.

mod common;

use std::time::Duration;

use common::*;
use stytch_client::{Client, Error, DEFAULT_TIMEOUT};

fn config_err(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(msg)) => msg,
        Err(other) => panic!("expected Error::Config, got {other:?}"),
        Ok(client) => panic!("expected Error::Config, got {client:?}"),
    }
}

fn with_base(url: &str) -> Result<Client, Error> {
    Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url(url)
        .build()
}

#[test]
fn live_project_id_uses_api_stytch_com() {
    let client = Client::new("project-live-6ee6e3b4-abcd", "secret-live-x").expect("valid");
    assert_eq!(client.base_url(), "https://api.stytch.com/");
}

#[test]
fn test_project_id_uses_test_stytch_com() {
    let client = Client::new(PROJECT_ID, SECRET).expect("valid");
    assert_eq!(client.base_url(), "https://test.stytch.com/");
    assert_eq!(client.timeout(), DEFAULT_TIMEOUT);
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(10));
}

#[test]
fn any_other_project_id_prefix_uses_test_stytch_com() {
    for id in ["project-LIVE-1", "live-project-1", "project-livefoo", "p"] {
        let client = Client::new(id, SECRET).expect("valid");
        assert_eq!(client.base_url(), "https://test.stytch.com/", "{id}");
    }
}

#[test]
fn empty_project_id_or_secret_is_rejected() {
    assert!(config_err(Client::new("", SECRET)).contains("project_id"));
    assert!(config_err(Client::new("  ", SECRET)).contains("project_id"));
    assert!(config_err(Client::new(PROJECT_ID, "")).contains("secret"));
    assert!(config_err(Client::builder().secret(SECRET).build()).contains("project_id"));
    assert!(config_err(Client::builder().project_id(PROJECT_ID).build()).contains("secret"));
}

#[test]
fn https_base_url_is_accepted_for_any_host_and_keeps_a_path_prefix() {
    let client = with_base("https://stytch-proxy.internal.example/stytch").expect("valid");
    assert_eq!(
        client.base_url(),
        "https://stytch-proxy.internal.example/stytch/"
    );
}

#[test]
fn http_base_url_is_accepted_for_loopback_hosts_only() {
    for url in [
        "http://127.0.0.1:8080",
        "http://127.3.2.1:1",
        "http://localhost:9000",
        "http://LOCALHOST",
        "http://[::1]:8080",
    ] {
        with_base(url).unwrap_or_else(|e| panic!("{url} should be accepted: {e}"));
    }
    for url in [
        "http://api.stytch.com",
        "http://10.0.0.1:8080",
        "http://192.168.1.1",
        "http://[::2]:80",
        "http://localhost.evil.example",
    ] {
        let msg = config_err(with_base(url));
        assert!(msg.contains("https"), "{url}: {msg}");
    }
}

#[test]
fn malformed_or_unsupported_base_urls_are_rejected() {
    for url in [
        "",
        "api.stytch.com",
        "ftp://api.stytch.com",
        "https://user:pw@api.stytch.com",
        "https://api.stytch.com/?x=1",
        "https://api.stytch.com/#frag",
    ] {
        config_err(with_base(url));
    }
}

#[test]
fn zero_timeout_is_rejected() {
    let msg = config_err(
        Client::builder()
            .project_id(PROJECT_ID)
            .secret(SECRET)
            .timeout(Duration::ZERO)
            .build(),
    );
    assert!(msg.contains("timeout"));
}
