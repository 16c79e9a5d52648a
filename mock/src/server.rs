//! The server: accept loop, request handling (route, auth, checks,
//! overrides, default answer), recording, and the test-facing API.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use hyper::body::{Body as _, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
use hyper::{HeaderMap, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use stytch_types::operations::{Method, Operation, REDACTED, is_credential_name, redact_json};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use crate::fake::{Faker, schemas};
use crate::generated::routes::ROUTES;
use crate::route::{Params, Route, Router};

/// A running mock of Stytch's API. Dropping it stops the server and closes
/// its connections.
pub struct MockServer {
    address: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Which Basic credentials the mock accepts.
#[derive(Clone)]
enum Credentials {
    /// Any `project-test-…` id with a non-empty secret.
    AnyTest,
    Exactly {
        project_id: String,
        secret: String,
    },
}

/// What one client may hold of the mock: bytes, time, connections.
#[derive(Clone, Copy)]
struct Limits {
    body: usize,
    header_timeout: Duration,
    body_timeout: Duration,
    connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Stytch documents no request-size limit; this is generous for
            // JSON requests and bounds what one request can make us hold.
            body: 1024 * 1024,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            // Below the common 1,024-descriptor soft limit, leaving room for
            // the test process's own files and client sockets.
            connections: 512,
        }
    }
}

/// Settings of a [`MockServer`], then [`MockBuilder::start`].
#[derive(Clone)]
pub struct MockBuilder {
    host: IpAddr,
    port: u16,
    seed: u64,
    credentials: Credentials,
    record: bool,
    limits: Limits,
}

impl Default for MockBuilder {
    fn default() -> Self {
        MockBuilder {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            seed: 0,
            credentials: Credentials::AnyTest,
            record: true,
            limits: Limits::default(),
        }
    }
}

impl MockBuilder {
    /// The address to listen on (default 127.0.0.1).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The port (default 0: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The seed of the default responses' ids (default 0). The same seed
    /// gives the same bytes.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Accept only these credentials (default: any `project-test-…` project
    /// id with a non-empty secret).
    pub fn credentials(mut self, project_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials = Credentials::Exactly {
            project_id: project_id.into(),
            secret: secret.into(),
        };
        self
    }

    /// Keep every request for [`MockServer::received`] (default on). A
    /// long-running mock (the binary) turns it off so memory stays flat.
    pub fn record(mut self, on: bool) -> Self {
        self.record = on;
        self
    }

    /// The largest request body read, in bytes (default 1 MiB). A larger
    /// one gets a 413 `request_too_large`; one whose `Content-Length`
    /// declares more is refused before any of it is read.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.limits.body = bytes;
        self
    }

    /// How long a connection may take to send a request head, counted from
    /// when the mock starts waiting for one: after accepting it, and after
    /// each answer (default 30 s). So it also bounds how long an idle
    /// keep-alive connection is kept. On expiry the connection is closed.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_timeout = timeout;
        self
    }

    /// How long a request may take to send its whole body, counted from
    /// its head (default 30 s). On expiry: a 408 `request_timeout`, and the
    /// connection is closed.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_timeout = timeout;
        self
    }

    /// How many connections are served at once (default 512; at least 1).
    /// Beyond it new connections wait, unaccepted, in the listen backlog
    /// until one closes; the timeouts above close idle ones.
    pub fn max_connections(mut self, n: usize) -> Self {
        self.limits.connections = n.max(1);
        self
    }

    /// Binds and starts serving on the current Tokio runtime.
    pub async fn start(self) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind((self.host, self.port)).await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            router: Router::new(&ROUTES),
            seed: self.seed,
            credentials: self.credentials,
            record: self.record,
            limits: self.limits,
            rules: Mutex::new(Vec::new()),
            received: Mutex::new(Vec::new()),
            defaults: ROUTES.iter().map(|_| OnceLock::new()).collect(),
            requests: AtomicU64::new(0),
        });
        let task = tokio::spawn(serve(listener, Arc::clone(&shared)));
        Ok(MockServer {
            address,
            shared,
            task,
        })
    }
}

impl MockServer {
    /// A mock on a free port of 127.0.0.1 with the default settings.
    ///
    /// # Panics
    ///
    /// When no port of 127.0.0.1 can be bound, or outside a Tokio runtime;
    /// [`MockBuilder::start`] returns the error instead.
    pub async fn start() -> MockServer {
        match MockServer::builder().start().await {
            Ok(server) => server,
            Err(e) => panic!("cannot start the stytch mock on 127.0.0.1: {e}"),
        }
    }

    pub fn builder() -> MockBuilder {
        MockBuilder::default()
    }

    /// The base URL (`http://127.0.0.1:PORT`), for a client's base URL and
    /// for each of [`crate::servers`].
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Sets up an answer for operation `O`, e.g.
    /// `mock.on::<ops::otps::whatsapp::LoginOrCreate<'_>>()`.
    pub fn on<O: Operation>(&self) -> When<'_> {
        // Every `Operation` of stytch-types has a route (generated together).
        let route = ROUTES
            .iter()
            .position(|r| is::<O>(r.method, r.path))
            .unwrap_or(usize::MAX);
        When::new(self, route)
    }

    /// Like [`MockServer::on`], by the operation's dotted chain
    /// (`otps.whatsapp.login_or_create`) or its id; `None` for an unknown
    /// name, and for an id two operations share (their chains differ).
    pub fn on_operation(&self, name: &str) -> Option<When<'_>> {
        route_named(&ROUTES, name).map(|route| When::new(self, route))
    }

    /// Every request received so far, in arrival order.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        lock(&self.shared.received).clone()
    }

    /// The requests routed to operation `O`.
    pub fn received_for<O: Operation>(&self) -> Vec<ReceivedRequest> {
        lock(&self.shared.received)
            .iter()
            .filter(|r| r.is::<O>())
            .cloned()
            .collect()
    }

    /// Forgets the received requests and every answer set up.
    pub fn reset(&self) {
        lock(&self.shared.received).clear();
        lock(&self.shared.rules).clear();
    }
}

/// A poisoned lock only means a test thread panicked while holding it; the
/// data is still consistent (pushes and clears).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

type Matcher = Box<dyn Fn(&ReceivedRequest) -> bool + Send + Sync>;

struct Rule {
    route: usize,
    matcher: Option<Matcher>,
    reply: Reply,
    /// Uses left; `usize::MAX` for unlimited.
    remaining: AtomicUsize,
}

/// An answer being set up for one operation; [`When::respond`] mounts it.
/// The latest mounted rule that matches a request answers it.
pub struct When<'m> {
    server: &'m MockServer,
    route: usize,
    matcher: Option<Matcher>,
    times: usize,
}

impl<'m> When<'m> {
    fn new(server: &'m MockServer, route: usize) -> Self {
        When {
            server,
            route,
            matcher: None,
            times: usize::MAX,
        }
    }

    /// Only requests for which `predicate` holds.
    pub fn matching(
        mut self,
        predicate: impl Fn(&ReceivedRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.matcher = Some(Box::new(predicate));
        self
    }

    /// Only requests whose body, decoded into `T` (the operation's generated
    /// request type), satisfies `predicate`.
    pub fn matching_body<T: DeserializeOwned>(
        self,
        predicate: impl Fn(&T) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.matching(move |request| request.body::<T>().is_ok_and(|body| predicate(&body)))
    }

    /// Answer at most `n` requests, then fall through to earlier rules or
    /// the default answer.
    pub fn times(mut self, n: usize) -> Self {
        self.times = n;
        self
    }

    /// Mounts the rule.
    pub fn respond(self, reply: Reply) {
        lock(&self.server.shared.rules).push(Arc::new(Rule {
            route: self.route,
            matcher: self.matcher,
            reply,
            remaining: AtomicUsize::new(self.times),
        }));
    }
}

#[derive(Debug, Clone)]
enum ReplyBody {
    /// The operation's default (schema-valid) response.
    Default,
    Fixed(Bytes),
}

/// How to answer: a body and status, and faults (a delay, a dropped
/// connection, `Retry-After`).
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    body: ReplyBody,
    headers: Vec<(HeaderName, HeaderValue)>,
    delay: Duration,
    drop: bool,
}

impl Reply {
    /// 200 with the operation's default response (to combine with a delay).
    pub fn default_response() -> Reply {
        Reply {
            status: 200,
            body: ReplyBody::Default,
            headers: Vec::new(),
            delay: Duration::ZERO,
            drop: false,
        }
    }

    /// `status` with `body` as JSON, sent as given (not checked against the
    /// response schema, so a test can send what the API should never).
    pub fn json(status: u16, body: &Value) -> Reply {
        Reply {
            body: ReplyBody::Fixed(Bytes::from(body.to_string())),
            status,
            ..Reply::default_response()
        }
    }

    /// `status` with Stytch's error object.
    pub fn error(status: u16, error_type: &str, message: &str) -> Reply {
        Reply::json(
            status,
            &error_object(status, "request-id-test-override", error_type, message),
        )
    }

    /// Closes the connection without answering.
    pub fn drop_connection() -> Reply {
        Reply {
            drop: true,
            ..Reply::default_response()
        }
    }

    /// Waits this long before answering (or dropping).
    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// Adds `Retry-After: seconds`.
    pub fn retry_after(self, seconds: u64) -> Reply {
        self.header(RETRY_AFTER, HeaderValue::from(seconds))
    }

    /// Adds a response header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Reply {
        self.headers.push((name, value));
        self
    }
}

/// One request as the mock received it. Its `Debug` leaves credentials
/// out: `Authorization`, cookies and every header or JSON body member named
/// like one (the client's rule, `is_credential_name`) show `<redacted>`.
#[derive(Clone)]
pub struct ReceivedRequest {
    method: String,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
    route: Option<Matched>,
    status: u16,
}

impl std::fmt::Debug for ReceivedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, Cow<'_, str>)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if is_credential_name(name.as_str()) {
                    Cow::Borrowed(REDACTED)
                } else {
                    String::from_utf8_lossy(value.as_bytes())
                };
                (name.as_str(), shown)
            })
            .collect();
        let query = self.query.as_deref().map(|query| {
            let pairs = query.split('&').map(|pair| match pair.split_once('=') {
                Some((key, _)) if is_credential_name(&form_decode(key)) => {
                    format!("{key}={REDACTED}")
                }
                _ => pair.to_owned(),
            });
            pairs.collect::<Vec<_>>().join("&")
        });
        // A JSON body with its credentials redacted; any other only by size.
        let body = match serde_json::from_slice::<Value>(&self.body) {
            Ok(mut value) => {
                redact_json(&mut value);
                value.to_string()
            }
            Err(_) => format!("<{} bytes, not JSON>", self.body.len()),
        };
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("body", &body)
            .field("route", &self.route)
            .field("status", &self.status)
            .finish()
    }
}

/// The operation a request was routed to. Its id names it for people; an
/// id may repeat in a document, its method and path template may not.
#[derive(Debug, Clone, Copy)]
struct Matched {
    operation_id: &'static str,
    method: Method,
    path: &'static str,
}

impl Matched {
    fn is<O: Operation>(&self) -> bool {
        is::<O>(self.method, self.path)
    }
}

/// Whether `method` and `template` are operation `O`'s: an operation's
/// identity, which its id is not (a document may repeat one).
fn is<O: Operation>(method: Method, template: &str) -> bool {
    method == O::METHOD && template == O::PATH
}

impl ReceivedRequest {
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path as sent (percent-encoded).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The raw query string, if any.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header's value, when it is visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body decoded into `T`, e.g. the operation's generated request
    /// type (`stytch_types::otp::whatsapp::LoginOrCreateRequest`).
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The operation it was routed to; `None` for an unknown route.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.route.map(|r| r.operation_id)
    }

    /// Whether it was routed to operation `O`.
    pub fn is<O: Operation>(&self) -> bool {
        self.route.is_some_and(|r| r.is::<O>())
    }

    /// The status the mock answered with (0 for a dropped connection).
    pub fn status(&self) -> u16 {
        self.status
    }
}

struct Shared {
    router: Router,
    seed: u64,
    credentials: Credentials,
    record: bool,
    limits: Limits,
    rules: Mutex<Vec<Arc<Rule>>>,
    received: Mutex<Vec<ReceivedRequest>>,
    /// Each route's default response body, built on first use.
    defaults: Vec<OnceLock<Result<Bytes, String>>>,
    requests: AtomicU64,
}

/// What to do with one request.
struct Answer {
    status: u16,
    body: Bytes,
    headers: Vec<(HeaderName, HeaderValue)>,
    delay: Duration,
    drop: bool,
}

impl Answer {
    fn json(status: u16, body: Bytes) -> Answer {
        Answer {
            status,
            body,
            headers: Vec::new(),
            delay: Duration::ZERO,
            drop: false,
        }
    }
}

fn error_object(status: u16, request_id: &str, error_type: &str, message: &str) -> Value {
    json!({
        "status_code": status,
        "request_id": request_id,
        "error_type": error_type,
        "error_message": message,
        "error_url": format!("https://stytch.com/docs/api/errors/{status}#{error_type}"),
    })
}

impl Shared {
    fn error(&self, status: u16, error_type: &str, message: &str) -> Answer {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let request_id = format!("request-id-test-{n:08}");
        let body = error_object(status, &request_id, error_type, message).to_string();
        Answer::json(status, Bytes::from(body))
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        let Some(encoded) = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
        else {
            return false;
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return false;
        };
        let Ok(text) = std::str::from_utf8(&decoded) else {
            return false;
        };
        let Some((project_id, secret)) = text.split_once(':') else {
            return false;
        };
        match &self.credentials {
            Credentials::AnyTest => project_id.starts_with("project-test-") && !secret.is_empty(),
            Credentials::Exactly {
                project_id: id,
                secret: s,
            } => project_id == id && secret == s,
        }
    }

    fn default_body(&self, route: usize) -> Result<Bytes, String> {
        let Some(slot) = self.defaults.get(route) else {
            return Err(format!("no route {route}"));
        };
        slot.get_or_init(|| default_response(&ROUTES[route], self.seed))
            .clone()
    }

    /// The route and its parameter segments, decided on the head alone
    /// (route, then credentials), so that a refusal neither waits for nor
    /// reads the body.
    fn head<'p>(
        &self,
        parts: &'p hyper::http::request::Parts,
        received: &mut ReceivedRequest,
    ) -> Result<(usize, Vec<&'p str>), Answer> {
        let path = parts.uri.path();
        let Some((index, segments)) = self.router.find(parts.method.as_str(), path) else {
            let message = format!("no operation for {} {path}", parts.method);
            return Err(self.error(404, "route_not_found", &message));
        };
        let route = &ROUTES[index];
        received.route = Some(Matched {
            operation_id: route.operation_id,
            method: route.method,
            path: route.path,
        });
        if !self.authorized(&parts.headers) {
            return Err(self.error(
                401,
                "unauthorized_credentials",
                "unauthorized credentials: send Basic auth with a project-test-… project id and a secret",
            ));
        }
        Ok((index, segments))
    }

    /// The answer to a request that passed [`Shared::head`], its body read.
    fn answer(
        &self,
        parts: &hyper::http::request::Parts,
        (index, segments): (usize, Vec<&str>),
        received: &ReceivedRequest,
    ) -> Answer {
        let route = &ROUTES[index];
        if let Err(violations) = check(route, &segments, parts, &received.body) {
            let message = format!("invalid request: {}", violations.join("; "));
            return self.error(400, "bad_request", &message);
        }
        let rule = lock(&self.rules)
            .iter()
            .rev()
            .find(|rule| {
                rule.route == index
                    && rule.matcher.as_ref().is_none_or(|m| m(received))
                    && rule
                        .remaining
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| match n {
                            0 => None,
                            usize::MAX => Some(n),
                            n => Some(n - 1),
                        })
                        .is_ok()
            })
            .cloned();
        let reply = rule.as_ref().map(|r| &r.reply);
        let body = match reply.map(|r| &r.body) {
            Some(ReplyBody::Fixed(bytes)) => Ok(bytes.clone()),
            // Signed per request: the token names the caller's project.
            Some(ReplyBody::Default) | None => self
                .default_body(index)
                .and_then(|body| crate::jwt::issue(route.chain, &parts.headers, body)),
        };
        let mut answer = match body {
            Ok(body) => Answer::json(reply.map_or(200, |r| r.status), body),
            Err(e) => self.error(500, "internal_server_error", &e),
        };
        if let Some(reply) = reply {
            answer.headers.clone_from(&reply.headers);
            answer.delay = reply.delay;
            answer.drop = reply.drop;
        }
        answer
    }
}

/// The route's checks on the request: parameters decoded from the path and
/// query, then the generated checks.
fn check(
    route: &Route,
    segments: &[&str],
    parts: &hyper::http::request::Parts,
    body: &[u8],
) -> Result<(), Vec<String>> {
    let mut violations = Vec::new();
    let path = segments
        .iter()
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .unwrap_or_else(|_| {
                    violations.push(format!("path segment {s:?} is not UTF-8"));
                    Cow::Borrowed("")
                })
        })
        .collect();
    let query = parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(k), form_decode(v))
        })
        .collect();
    let params = Params {
        path,
        query,
        headers: &parts.headers,
    };
    if let Err(rejection) = (route.check)(&params, body) {
        violations.extend(rejection.violations);
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

/// One `application/x-www-form-urlencoded` component.
fn form_decode(text: &str) -> Cow<'_, str> {
    if !text.contains(['+', '%']) {
        return Cow::Borrowed(text);
    }
    let spaced = text.replace('+', " ");
    Cow::Owned(
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// The operation's default body: every property filled in when that decodes
/// into the response type, else the required ones only.
fn default_response(route: &Route, seed: u64) -> Result<Bytes, String> {
    let schemas = schemas()?;
    // FNV-1a of the id: each operation its own ids under one seed.
    let salt = route
        .operation_id
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    let mut last_error = String::new();
    for full in [true, false] {
        let value = Faker::new(schemas, seed ^ salt, full).component(route.response_schema);
        let bytes = Bytes::from(value.to_string());
        match (route.check_response)(&bytes) {
            Ok(()) => return Ok(bytes),
            Err(e) => last_error = e,
        }
    }
    Err(format!(
        "the default response of {} does not decode into its type: {last_error}",
        route.operation_id
    ))
}

/// The connection is closed without an answer (a [`Reply::drop_connection`]).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by the mock")
    }
}

impl std::error::Error for Dropped {}

/// Why a body was not read whole.
enum BodyError {
    TooLarge,
    Slow,
    /// The client broke off (or sent invalid chunking).
    Broken,
}

/// The body, read no further than the limit and for no longer than the
/// body timeout.
async fn read_body(body: Incoming, limits: Limits) -> Result<Bytes, BodyError> {
    // A declared length over the limit is refused before reading any of it.
    if body.size_hint().lower() > u64::try_from(limits.body).unwrap_or(u64::MAX) {
        return Err(BodyError::TooLarge);
    }
    match tokio::time::timeout(
        limits.body_timeout,
        Limited::new(body, limits.body).collect(),
    )
    .await
    {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(BodyError::TooLarge),
        Ok(Err(_)) => Err(BodyError::Broken),
        Err(_) => Err(BodyError::Slow),
    }
}

/// One request: refused on its head, else its body read within the limits
/// and answered. A refusal drops the unread body; hyper then drains it only
/// if it has already arrived, else closes the connection rather than read on.
async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    let mut received = ReceivedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: Bytes::new(),
        route: None,
        status: 0,
    };
    let limits = shared.limits;
    let answer = match shared.head(&parts, &mut received) {
        Err(refusal) => refusal,
        Ok(routed) => match read_body(body, limits).await {
            Ok(bytes) => {
                received.body = bytes;
                shared.answer(&parts, routed, &received)
            }
            Err(BodyError::TooLarge) => shared.error(
                413,
                "request_too_large",
                &format!(
                    "the request body is over the mock's limit of {} bytes",
                    limits.body
                ),
            ),
            Err(BodyError::Slow) => shared.error(
                408,
                "request_timeout",
                &format!(
                    "the request body was not received within {:?}",
                    limits.body_timeout
                ),
            ),
            Err(BodyError::Broken) => return Err(Dropped),
        },
    };
    received.status = if answer.drop { 0 } else { answer.status };
    if shared.record {
        lock(&shared.received).push(received);
    }
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    if answer.drop {
        return Err(Dropped);
    }
    let mut response = Response::new(Full::new(answer.body));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in answer.headers {
        headers.insert(name, value);
    }
    Ok(response)
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    // Connections live in the set, so aborting this task closes them too.
    // Its length is the number being served: at the cap, accepting pauses
    // and new connections wait in the kernel's listen backlog.
    let mut connections = JoinSet::new();
    let limits = shared.limits;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    loop {
        tokio::select! {
            accepted = listener.accept(), if connections.len() < limits.connections => {
                let Ok((stream, _)) = accepted else {
                    // Out of descriptors or similar: back off, keep serving.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                let connection = http.serve_connection(
                    TokioIo::new(stream),
                    hyper::service::service_fn(move |request| handle(Arc::clone(&shared), request)),
                );
                // Its result, an error for a dropped connection or a timeout
                // by design, is not needed.
                connections.spawn(connection);
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// The route whose dotted chain is `name`, else the one route whose id is.
fn route_named(routes: &[Route], name: &str) -> Option<usize> {
    let by_chain = routes.iter().position(|r| r.chain.join(".") == name);
    let mut by_id = routes
        .iter()
        .enumerate()
        .filter(|(_, r)| r.operation_id == name)
        .map(|(i, _)| i);
    let unique_id = match (by_id.next(), by_id.next()) {
        (Some(i), None) => Some(i),
        _ => None,
    };
    by_chain.or(unique_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &'static str, id: &'static str, chain: &'static [&'static str]) -> Route {
        Route {
            method: Method::Post,
            path,
            operation_id: id,
            chain,
            servers: &[],
            response_schema: "",
            check: |_, _| Ok(()),
            check_response: |_| Ok(()),
        }
    }

    #[test]
    fn a_shared_id_names_no_route_and_chains_name_each() {
        let routes = [
            route("/v1/a", "shared", &["a", "authenticate"]),
            route("/v1/b2b/a", "shared", &["b2b", "a", "authenticate"]),
            route("/v1/c", "own", &["c"]),
        ];
        assert_eq!(route_named(&routes, "shared"), None);
        assert_eq!(route_named(&routes, "a.authenticate"), Some(0));
        assert_eq!(route_named(&routes, "b2b.a.authenticate"), Some(1));
        assert_eq!(route_named(&routes, "own"), Some(2));
        assert_eq!(route_named(&routes, "c"), Some(2));
        assert_eq!(route_named(&routes, "nothing"), None);
    }
}
