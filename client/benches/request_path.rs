//! Overhead of the stytch-client request path versus a bare reqwest POST.
//!
//! Both talk to the same hyper server on 127.0.0.1 (started inside the
//! bench, fixed success JSON) over one current-thread tokio runtime, send the
//! same bytes with the same headers, and decode the same response fields.
//!
//! Run: `cargo bench -p stytch-client --bench request_path`
//!
//! Criterion measures the two one after the other, so a machine whose
//! speed drifts (a shared VM: ±15 % between runs) shows a gap that is not
//! there, or hides one. `REQUEST_PATH_PAIRED=<rounds>` instead alternates
//! the two in blocks of 100 calls, order rotated each round, and prints each
//! one's median time a call and the median of the per-round ratios:
//! `REQUEST_PATH_PAIRED=200 cargo bench -p stytch-client --bench request_path`

use std::convert::Infallible;
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use stytch_client::reqwest;
use stytch_client::reqwest::header::{
    HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use stytch_types::otp::whatsapp::LoginOrCreateRequest;
use tokio::net::TcpListener;

const PROJECT_ID: &str = "project-test-11111111-2222-3333-4444-555555555555";
const SECRET: &str = "secret-test-bench";
const REQUEST_BODY: &[u8] = br#"{"phone_number":"+12025550162"}"#;
const SUCCESS_BODY: &[u8] = br#"{"status_code":200,"request_id":"request-id-test-55c8ec9a","user_id":"user-test-16d9ba61","phone_id":"phone-number-test-d5a3b680","user_created":false}"#;
const TIMEOUT: Duration = Duration::from_secs(10);

/// The plain struct the bare path decodes into (same fields as the
/// generated response type).
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct PlainResponse {
    request_id: String,
    user_id: String,
    phone_id: String,
    user_created: bool,
    status_code: i32,
}

async fn handle(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    // Read the request body like a real server would.
    let _ = req.into_body().collect().await;
    let mut response = Response::new(Full::new(Bytes::from_static(SUCCESS_BODY)));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}

async fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service_fn(handle))
                    .await;
            });
        }
    });
    addr
}

/// The bare path's fixed parts.
struct Bare {
    client: reqwest::Client,
    url: reqwest::Url,
    auth: HeaderValue,
    user_agent: HeaderValue,
}

async fn stytch_client_call(client: &stytch_client::Client, request: &LoginOrCreateRequest) {
    let response = client
        .otps()
        .whatsapp()
        .login_or_create(black_box(request))
        .await
        .expect("success");
    black_box(response);
}

async fn bare_call(bare: &Bare) {
    let response = bare
        .client
        .post(bare.url.clone())
        .header(AUTHORIZATION, bare.auth.clone())
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .header(USER_AGENT, bare.user_agent.clone())
        .timeout(TIMEOUT)
        .body(black_box(REQUEST_BODY))
        .send()
        .await
        .expect("send");
    let bytes = response.bytes().await.expect("body");
    let decoded: PlainResponse = serde_json::from_slice(&bytes).expect("decode");
    black_box(decoded);
}

/// `rounds` rounds of a block of calls of each path, the order rotated
/// each round; prints the median time a call of each and the median of the
/// per-round client/bare ratios.
async fn paired(
    client: &stytch_client::Client,
    request: &LoginOrCreateRequest,
    bare: &Bare,
    rounds: usize,
) {
    const BLOCK: u32 = 100;
    for _ in 0..BLOCK * 4 {
        stytch_client_call(client, request).await;
        bare_call(bare).await;
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for k in 0..2 {
            let start = Instant::now();
            if (k + round) % 2 == 0 {
                for _ in 0..BLOCK {
                    stytch_client_call(client, request).await;
                }
                ours.push(start.elapsed() / BLOCK);
            } else {
                for _ in 0..BLOCK {
                    bare_call(bare).await;
                }
                theirs.push(start.elapsed() / BLOCK);
            }
        }
    }
    let mut ratios: Vec<f64> = ours
        .iter()
        .zip(&theirs)
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    ours.sort();
    theirs.sort();
    let ratio = ratios.get(rounds / 2).copied().unwrap_or(f64::NAN);
    println!(
        "paired, {rounds} rounds of {BLOCK} calls: stytch-client {:?}, bare reqwest {:?} (medians a call); median ratio {ratio:.3}",
        ours.get(rounds / 2).copied().unwrap_or_default(),
        theirs.get(rounds / 2).copied().unwrap_or_default(),
    );
}

fn request_path(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let addr = rt.block_on(start_server());
    let base_url = format!("http://{addr}");

    let client = stytch_client::Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url(&base_url)
        .timeout(TIMEOUT)
        .build()
        .expect("client");
    let request = LoginOrCreateRequest::builder()
        .phone_number("+12025550162")
        .build()
        .expect("request");

    let bare_client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("bare client");
    let url =
        reqwest::Url::parse(&format!("{base_url}/v1/otps/whatsapp/login_or_create")).expect("url");
    let credentials =
        base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT_ID}:{SECRET}"));
    let mut auth = HeaderValue::try_from(format!("Basic {credentials}")).expect("header");
    auth.set_sensitive(true);
    let bare = Bare {
        client: bare_client,
        url,
        auth,
        user_agent: HeaderValue::from_static(stytch_client::USER_AGENT_VALUE),
    };

    // Sanity: both paths succeed before measuring.
    rt.block_on(async {
        let r = client
            .otps()
            .whatsapp()
            .login_or_create(&request)
            .await
            .expect("client path works");
        assert_eq!(r.status_code(), 200);
    });

    if let Ok(rounds) = std::env::var("REQUEST_PATH_PAIRED") {
        let rounds = rounds
            .parse()
            .expect("REQUEST_PATH_PAIRED: a number of rounds");
        rt.block_on(paired(&client, &request, &bare, rounds));
        return;
    }

    let mut group = c.benchmark_group("request_path");
    group
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(2))
        .sample_size(50);

    group.bench_function("stytch_client_login_or_create", |b| {
        b.to_async(&rt)
            .iter(|| stytch_client_call(&client, &request))
    });

    group.bench_function("bare_reqwest_post", |b| {
        b.to_async(&rt).iter(|| bare_call(&bare))
    });

    group.finish();
}

criterion_group!(benches, request_path);
criterion_main!(benches);
