//! Start-up time of the mock, and validated requests per second on
//! loopback beside a plain axum handler that deserializes the same bodies
//! with no checks. Run: `cargo bench -p stytch-mock --bench mock`.

use std::time::Duration;

use bytes::Bytes;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use stytch_mock::MockServer;

const PATH: &str = "/v1/otps/whatsapp/login_or_create";
const BODY: &str = r#"{"phone_number":"+12025550162","expiration_minutes":5}"#;
/// Concurrent clients, each with its own connection pool.
const CLIENTS: usize = 32;
/// Requests per measured iteration.
const REQUESTS: usize = 2048;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// `REQUESTS` valid requests from `CLIENTS` concurrent clients; panics on
/// any non-200, so a refused request cannot count as served.
async fn load(clients: &[reqwest::Client], url: &str) {
    let per_client = REQUESTS / clients.len();
    let mut tasks = tokio::task::JoinSet::new();
    for client in clients {
        let client = client.clone();
        let url = url.to_owned();
        tasks.spawn(async move {
            for _ in 0..per_client {
                let response = client
                    .post(&url)
                    .basic_auth("project-test-1", Some("secret-test-1"))
                    .header("content-type", "application/json")
                    .body(BODY)
                    .send()
                    .await
                    .expect("answered");
                assert_eq!(response.status(), 200);
                let _ = response.bytes().await.expect("a body");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a load task");
    }
}

/// The plain handler's body type: the field, no checks.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Plain {
    phone_number: String,
    expiration_minutes: Option<i64>,
}

async fn plain_server(answer: Bytes) -> (String, tokio::task::JoinHandle<()>) {
    use axum::routing::post;
    let app = axum::Router::new().route(
        PATH,
        post(move |body: Bytes| {
            let answer = answer.clone();
            async move {
                match serde_json::from_slice::<Plain>(&body) {
                    Ok(_) => (
                        axum::http::StatusCode::OK,
                        [("content-type", "application/json")],
                        answer,
                    ),
                    Err(_) => (
                        axum::http::StatusCode::BAD_REQUEST,
                        [("content-type", "application/json")],
                        Bytes::new(),
                    ),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}{PATH}", listener.local_addr().expect("address"));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

fn startup(c: &mut Criterion) {
    let rt = runtime();
    c.bench_function("startup/all_operations", |b| {
        b.to_async(&rt).iter(|| async {
            let mock = MockServer::start().await;
            std::hint::black_box(mock.url());
        })
    });
    // Default answers are built per operation on first use: start-up plus
    // one answer is what a test that makes one call waits for.
    let client = reqwest::Client::new();
    c.bench_function("startup/start_and_first_answer", |b| {
        b.to_async(&rt).iter(|| async {
            let mock = MockServer::start().await;
            let response = client
                .get(format!("{}/v1/users/user-test-1", mock.url()))
                .basic_auth("project-test-1", Some("secret-test-1"))
                .send()
                .await
                .expect("answered");
            assert_eq!(response.status(), 200);
            std::hint::black_box(response.bytes().await.expect("a body"));
        })
    });
}

fn throughput(c: &mut Criterion) {
    let rt = runtime();
    let mock = rt.block_on(MockServer::start());
    let mock_url = format!("{}{PATH}", mock.url());
    let clients: Vec<reqwest::Client> = (0..CLIENTS).map(|_| reqwest::Client::new()).collect();
    // The plain handler answers the mock's own default body: same bytes out.
    let answer = rt.block_on(async {
        let response = clients[0]
            .post(&mock_url)
            .basic_auth("project-test-1", Some("secret-test-1"))
            .body(BODY)
            .send()
            .await
            .expect("answered");
        response.bytes().await.expect("a body")
    });
    let (plain_url, _plain) = rt.block_on(plain_server(answer));
    let mut group = c.benchmark_group("requests");
    group.throughput(Throughput::Elements(REQUESTS as u64));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("mock_validated", |b| {
        b.to_async(&rt).iter_batched(
            // Recording is on, as in a test; cleared between iterations.
            || mock.reset(),
            |()| load(&clients, &mock_url),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("plain_axum", |b| {
        b.to_async(&rt).iter(|| load(&clients, &plain_url))
    });
    group.finish();
}

criterion_group!(benches, startup, throughput);
criterion_main!(benches);
