// The request path of a client on reqwest: shared, as text, by
// `stytch-client` (which `include!`s it) and every standalone client crate
// the generator writes (which carries a copy). The including module brings
// into scope: `Operation` and `Method` (the types crate's operations),
// `ErrorBody` (what a non-2xx body decodes into), and `Error`, `ApiError`
// and `UndecodableResponse` (http_error.rs).

/// Bodies larger than this are not read further and reported as
/// [`Error::UndecodableResponse`].
pub const MAX_RESPONSE_BODY: usize = 1024 * 1024;

/// What every request of a client needs; clones of a client share one.
struct Transport {
    http: reqwest::Client,
    /// The user gave `http`, which may follow redirects: each answer's URL
    /// is checked against the request's. Ours never follows one.
    supplied_http: bool,
    /// Always ends with `/`, so endpoint paths join under it.
    base_url: reqwest::Url,
    /// A server an operation names (`https://telemetry.stytch.com`) → the
    /// URL to use instead.
    server_urls: Vec<(String, reqwest::Url)>,
    /// The headers every request sends.
    headers: SentHeaders,
    timeout: std::time::Duration,
    /// The URL of each operation without path parameters, by its first
    /// server and path template, joined on first use: joining re-parses the
    /// whole URL on every call, a clone only copies it.
    fixed_urls: std::sync::RwLock<EndpointUrls>,
}

/// The URL each operation goes to, by [`EndpointKey`].
type EndpointUrls = std::collections::HashMap<
    EndpointKey,
    reqwest::Url,
    std::hash::BuildHasherDefault<WordHasher>,
>;

/// An operation's first server and path template, by the address and
/// length of each `&'static str`: equal keys are equal texts, so equal
/// URLs. (The same text at two addresses only makes two entries.) Hashing
/// three words instead of the two texts takes a few instructions, not
/// hundreds, on every call.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct EndpointKey {
    server: (usize, usize),
    path: (usize, usize),
}

impl EndpointKey {
    fn of<O: Operation>() -> EndpointKey {
        let words = |s: &'static str| (s.as_ptr() as usize, s.len());
        EndpointKey {
            server: words(O::SERVERS.first().copied().unwrap_or("")),
            path: words(O::PATH),
        }
    }
}

/// Mixes machine words by multiply and rotate, as rustc's FxHasher does:
/// enough for keys that are addresses, which no caller chooses.
#[derive(Default)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The headers every request of a client sends: `Accept`, `User-Agent`,
/// and the credentials' header (its value marked sensitive) when the API
/// takes credentials; and the same with `Content-Type` for a JSON body.
/// Made once: a request clones the map it needs, which costs less than
/// inserting each header (and growing the map for the last).
struct SentHeaders {
    bodiless: reqwest::header::HeaderMap,
    json_body: reqwest::header::HeaderMap,
}

impl SentHeaders {
    fn new(
        user_agent: &'static str,
        auth: Option<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    ) -> SentHeaders {
        use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
        let mut bodiless = reqwest::header::HeaderMap::with_capacity(3);
        bodiless.insert(ACCEPT, HeaderValue::from_static("application/json"));
        bodiless.insert(USER_AGENT, HeaderValue::from_static(user_agent));
        if let Some((name, value)) = auth {
            bodiless.insert(name, value);
        }
        let mut json_body = bodiless.clone();
        json_body.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        SentHeaders {
            bodiless,
            json_body,
        }
    }

    /// Whether requests carry credentials.
    #[allow(dead_code)] // read by the standalone client's `Debug` only
    fn has_credentials(&self) -> bool {
        self.bodiless
            .values()
            .any(reqwest::header::HeaderValue::is_sensitive)
    }
}

impl Transport {
    /// Sends `operation` and decodes a 2xx body as its response type, any
    /// other as `ErrorBody`.
    async fn send<O: Operation>(&self, operation: &O) -> Result<O::Response, Error> {
        let request = self.build(operation)?;
        let sent_to = self.supplied_http.then(|| request.url().clone());
        let mut response = self
            .http
            .execute(request)
            .await
            .map_err(|e| self.http_error(e))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
            return Err(Error::Redirect { status, location });
        }
        if sent_to.is_some_and(|sent_to| *response.url() != sent_to) {
            // Only a supplied `reqwest::Client` follows redirects; the
            // request it redirected has gone out, its answer must not count.
            return Err(Error::RedirectFollowed {
                url: response.url().to_string(),
            });
        }
        let headers = std::mem::take(response.headers_mut());
        let body = match self.read_body(&mut response).await? {
            Ok(body) => body,
            Err(partial) => {
                let reason = format!("response body exceeds {MAX_RESPONSE_BODY} bytes");
                return Err(undecodable(status, headers, &partial, reason));
            }
        };
        if status.is_success() {
            serde_json::from_slice::<O::Response>(&body)
                .map_err(|e| undecodable(status, headers, &body, e.to_string()))
        } else {
            match serde_json::from_slice::<ErrorBody>(&body) {
                Ok(response) => Err(Error::Api(Box::new(ApiError {
                    status,
                    headers: kept(headers),
                    response,
                }))),
                Err(e) => Err(undecodable(status, headers, &body, e.to_string())),
            }
        }
    }

    /// The HTTP request of `operation`: checked parameters, URL, headers
    /// and JSON body.
    fn build<O: Operation>(&self, operation: &O) -> Result<reqwest::Request, Error> {
        use reqwest::header::HeaderValue;
        let request = operation.request().map_err(Error::Invalid)?;
        let url = self.url_of::<O>(&request.path)?;
        let method = match O::METHOD {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        // Made directly, not through `RequestBuilder`: each of its steps
        // moves the whole request and inserts a header one at a time, a
        // cost on every call (BENCHMARKS.md, request path).
        let mut sent = reqwest::Request::new(method, url);
        if self.supplied_http {
            // Ours has the timeout as its own; setting it on each request
            // too would cost an allocation per call.
            *sent.timeout_mut() = Some(self.timeout);
        }
        let body = match request.body {
            Some(body) => Some(serde_json::to_vec(body).map_err(Error::Encode)?),
            None => None,
        };
        let headers = sent.headers_mut();
        headers.clone_from(match body {
            Some(_) => &self.headers.json_body,
            None => &self.headers.bodiless,
        });
        for (name, value) in &request.headers {
            // The value is checked by `request()` (visible ASCII, bounded);
            // the name comes from the document. Neither may panic here, as
            // `HeaderMap::append` would on a `&str` that is not a name.
            let unsendable = || Error::Config(format!("header {name} cannot be sent"));
            let header = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| unsendable())?;
            // The client's own headers win: a parameter never adds a second
            // `Authorization`, `Content-Type`, … nor one the connection owns.
            if headers.contains_key(&header) || is_clients_header(&header) {
                continue;
            }
            let value = HeaderValue::from_str(value).map_err(|_| unsendable())?;
            headers.append(header, value);
        }
        *sent.body_mut() = body.map(Into::into);
        if !request.query.is_empty() {
            // Form-encoded, as `RequestBuilder::query` encodes pairs.
            sent.url_mut().query_pairs_mut().extend_pairs(&request.query);
        }
        Ok(sent)
    }

    /// The URL `path` (the operation's, parameters filled in) goes to.
    fn url_of<O: Operation>(&self, path: &str) -> Result<reqwest::Url, Error> {
        // Without parameters the path is the template, the same every call.
        let fixed = path == O::PATH;
        let key = EndpointKey::of::<O>();
        if fixed {
            // A panic elsewhere while holding the lock cannot leave a wrong
            // entry (entries are inserted whole), so a poisoned map is used.
            let urls = self
                .fixed_urls
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(url) = urls.get(&key) {
                return Ok(url.clone());
            }
        }
        let base = self.base_for(O::SERVERS)?;
        // The path starts with `/`; joined relative, it keeps a base URL's
        // own path prefix (a proxy at `https://host/api/`).
        let relative = path.trim_start_matches('/');
        let url = base
            .join(relative)
            .map_err(|e| Error::Config(format!("invalid endpoint path {path:?}: {e}")))?;
        stays_under(&base, &url).map_err(|reason| {
            Error::Config(format!("invalid endpoint path {path:?}: {reason}"))
        })?;
        if fixed {
            self.fixed_urls
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(key, url.clone());
        }
        Ok(url)
    }

    /// Read the whole body, up to [`MAX_RESPONSE_BODY`]. `Ok(Err(partial))`
    /// when the limit was exceeded.
    async fn read_body(
        &self,
        response: &mut reqwest::Response,
    ) -> Result<Result<Vec<u8>, Vec<u8>>, Error> {
        let capacity = response
            .content_length()
            .map_or(0, |n| n.min(MAX_RESPONSE_BODY as u64) as usize);
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(|e| self.http_error(e))? {
            if body.len() + chunk.len() > MAX_RESPONSE_BODY {
                let room = MAX_RESPONSE_BODY.saturating_sub(body.len());
                body.extend_from_slice(&chunk[..room.min(chunk.len())]);
                return Ok(Err(body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Ok(body))
    }

    /// The base URL an operation goes to: the client's, or for an operation
    /// with servers of its own, the replacement set for its first server or
    /// else that server.
    fn base_for(&self, servers: &[&str]) -> Result<std::borrow::Cow<'_, reqwest::Url>, Error> {
        use std::borrow::Cow;
        let Some(server) = servers.first() else {
            return Ok(Cow::Borrowed(&self.base_url));
        };
        match self.server_urls.iter().find(|(from, _)| from == server) {
            Some((_, to)) => Ok(Cow::Borrowed(to)),
            None => parse_base_url(server).map(Cow::Owned),
        }
    }

    fn http_error(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            Error::Timeout {
                timeout: self.timeout,
                source: e,
            }
        } else {
            Error::Transport(e)
        }
    }
}

/// Headers a request parameter may not set, whatever the client's own
/// map holds: the credentials', the body's, and the connection's.
fn is_clients_header(name: &reqwest::header::HeaderName) -> bool {
    use reqwest::header::{
        AUTHORIZATION, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HOST, TE, TRAILER,
        TRANSFER_ENCODING, UPGRADE,
    };
    [
        AUTHORIZATION,
        CONTENT_TYPE,
        CONTENT_LENGTH,
        HOST,
        TRANSFER_ENCODING,
        CONNECTION,
        TE,
        TRAILER,
        UPGRADE,
    ]
    .contains(name)
        || matches!(name.as_str(), "keep-alive" | "proxy-connection")
}

/// Whether `url`, an endpoint path joined to `base`, is still `base`'s:
/// same scheme, host and port, its path under `base`'s, no query or
/// fragment. Whatever an operation's `PATH` says (a full URL, `//host`,
/// `\\host`, `..`), a request never leaves the server it was built for.
fn stays_under(base: &reqwest::Url, url: &reqwest::Url) -> Result<(), &'static str> {
    if url.scheme() != base.scheme()
        || url.host() != base.host()
        || url.port_or_known_default() != base.port_or_known_default()
    {
        return Err("it leads to another origin than the base URL's");
    }
    if !url.path().starts_with(base.path()) {
        return Err("it leads out of the base URL's path");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it carries a query or a fragment");
    }
    Ok(())
}

fn undecodable(
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: &[u8],
    reason: String,
) -> Error {
    Error::UndecodableResponse(Box::new(UndecodableResponse::new(
        status,
        kept(headers),
        body,
        reason,
    )))
}

/// Response headers an error keeps, credential-named ones marked sensitive
/// (`Debug` prints `Sensitive`). Only errors keep headers, so a successful
/// call never walks them.
fn kept(mut headers: reqwest::header::HeaderMap) -> reqwest::header::HeaderMap {
    for (name, value) in headers.iter_mut() {
        if is_credential_name(name.as_str()) {
            value.set_sensitive(true);
        }
    }
    headers
}

/// The credentials header's value, marked sensitive; `what` names them in
/// the error, which never echoes them.
fn sensitive_header(value: String, what: &str) -> Result<reqwest::header::HeaderValue, Error> {
    let mut value = reqwest::header::HeaderValue::try_from(value)
        .map_err(|_| Error::Config(format!("could not build the {what} header")))?;
    value.set_sensitive(true);
    Ok(value)
}

/// The HTTP client a client builds for itself: `timeout` for each request,
/// and redirects refused (an API client should not follow one with
/// credentials attached; a 3xx surfaces as an error instead).
fn default_http_client(timeout: std::time::Duration) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))
}

fn parse_base_url(raw: &str) -> Result<reqwest::Url, Error> {
    // The raw string is not echoed in errors: it might embed credentials.
    let mut url = reqwest::Url::parse(raw)
        .map_err(|e| Error::Config(format!("base_url is not a valid URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "base_url must not contain credentials".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(
            "base_url must not contain a query or fragment".into(),
        ));
    }
    let host = url
        .host_str()
        .ok_or_else(|| Error::Config("base_url has no host".into()))?
        .to_owned();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&host) => {}
        "http" => {
            return Err(Error::Config(format!(
                "base_url must use https:// (plain http:// is only allowed for loopback hosts, not {host:?})"
            )))
        }
        other => {
            return Err(Error::Config(format!(
                "base_url scheme must be https, not {other:?}"
            )))
        }
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}
