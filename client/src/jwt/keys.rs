//! The project's JSON Web Key Set, one per vertical: fetched lazily, shared
//! by every clone of a [`Client`], read without a lock, refreshed by one
//! request at a time.
//!
//! Reading is an `ArcSwap::load_full` (two atomic operations). A refresh
//! takes an async mutex only to decide who fetches: while one caller
//! fetches, the others that need new keys wait for that fetch and use its
//! result (single flight), and a key set fetched less than
//! `min_refresh_interval` ago is not fetched again for an unknown `kid`
//! (rate limit: a stream of forged `kid`s costs Stytch one request per
//! interval). Keys older than `refresh_interval` are refreshed by the first
//! caller that finds the mutex free, the others verifying with the keys they
//! have; a failed refresh keeps the old keys.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use jsonwebtoken::DecodingKey;

use super::{JwtError, Vertical};
use crate::Client;

/// How often keys are refreshed on a schedule: Stytch's SDKs cache the key
/// set for 5 minutes.
pub const DEFAULT_JWKS_REFRESH_INTERVAL: Duration = Duration::from_secs(300);
/// The least time between two fetches caused by an unknown `kid`.
pub const DEFAULT_JWKS_MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(10);

/// One fetched key set, immutable once published.
#[derive(Default)]
pub(crate) struct Snapshot {
    keys: HashMap<String, DecodingKey>,
    /// When the keys were last fetched successfully.
    fetched_at: Option<Instant>,
    /// When a fetch was last attempted, successful or not.
    attempted_at: Option<Instant>,
    /// Counts attempts, so a waiter can tell that one happened meanwhile.
    generation: u64,
    /// The last attempt's failure, while no later attempt succeeded.
    failure: Option<Arc<crate::Error>>,
}

impl Snapshot {
    pub(crate) fn key(&self, kid: &str) -> Option<&DecodingKey> {
        self.keys.get(kid)
    }
}

/// A vertical's key cache.
pub(crate) struct KeySet {
    vertical: Vertical,
    current: ArcSwap<Snapshot>,
    refresh: tokio::sync::Mutex<()>,
    refresh_interval: Duration,
    min_refresh_interval: Duration,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let snapshot = self.current.load();
        let mut kids: Vec<&String> = snapshot.keys.keys().collect();
        kids.sort();
        f.debug_struct("KeySet")
            .field("vertical", &self.vertical)
            .field("kids", &kids)
            .field("fetched_at", &snapshot.fetched_at)
            .finish_non_exhaustive()
    }
}

impl KeySet {
    pub(crate) fn new(
        vertical: Vertical,
        refresh_interval: Duration,
        min_refresh_interval: Duration,
    ) -> Self {
        KeySet {
            vertical,
            current: ArcSwap::from_pointee(Snapshot::default()),
            refresh: tokio::sync::Mutex::new(()),
            refresh_interval,
            min_refresh_interval,
        }
    }

    /// The snapshot holding `kid`, fetching or refreshing as the rules in
    /// the module's documentation say.
    pub(crate) async fn snapshot_for(
        &self,
        client: &Client,
        kid: &str,
    ) -> Result<Arc<Snapshot>, JwtError> {
        let seen = self.current.load_full();
        if seen.key(kid).is_some() {
            let stale = seen
                .fetched_at
                .is_none_or(|at| at.elapsed() >= self.refresh_interval);
            if stale {
                // Only the caller that finds the mutex free refreshes; the
                // rest keep verifying with the keys they have.
                if let Ok(_guard) = self.refresh.try_lock() {
                    let now = self.current.load_full();
                    if now.generation == seen.generation && self.may_fetch(&now) {
                        self.fetch(client, &now).await;
                    }
                }
                let now = self.current.load_full();
                if now.key(kid).is_some() {
                    return Ok(now);
                }
            }
            return Ok(seen);
        }
        let _guard = self.refresh.lock().await;
        let now = self.current.load_full();
        // Someone fetched while this caller waited: that fetch was this
        // caller's chance, whatever it brought.
        let now = if now.generation == seen.generation && self.may_fetch(&now) {
            self.fetch(client, &now).await
        } else {
            now
        };
        if now.key(kid).is_some() {
            return Ok(now);
        }
        match &now.failure {
            Some(error) => Err(JwtError::Jwks(Arc::clone(error))),
            None => Err(JwtError::UnknownKey(kid.to_owned())),
        }
    }

    fn may_fetch(&self, snapshot: &Snapshot) -> bool {
        snapshot
            .attempted_at
            .is_none_or(|at| at.elapsed() >= self.min_refresh_interval)
    }

    /// One request for the key set; the new snapshot is published and
    /// returned. On failure the old keys stay, with the error beside them.
    async fn fetch(&self, client: &Client, old: &Snapshot) -> Arc<Snapshot> {
        let attempted_at = Some(Instant::now());
        let generation = old.generation.wrapping_add(1);
        let next = match self.vertical.fetch_keys(client).await {
            Ok(keys) => Snapshot {
                keys,
                fetched_at: attempted_at,
                attempted_at,
                generation,
                failure: None,
            },
            Err(error) => Snapshot {
                keys: old.keys.clone(),
                fetched_at: old.fetched_at,
                attempted_at,
                generation,
                failure: Some(Arc::new(error)),
            },
        };
        let next = Arc::new(next);
        self.current.store(Arc::clone(&next));
        next
    }
}

/// The usable keys of a JWKS: RSA signing keys for RS256 whose modulus and
/// exponent decode; the rest are skipped (a key set may hold others).
pub(crate) fn usable_keys<'k>(
    keys: impl Iterator<Item = (&'k str, &'k str, &'k str, &'k str, &'k str)>,
) -> HashMap<String, DecodingKey> {
    keys.filter(|(kty, alg, _, _, _)| *kty == "RSA" && (alg.is_empty() || *alg == "RS256"))
        .filter_map(|(_, _, kid, n, e)| {
            DecodingKey::from_rsa_components(n, e)
                .ok()
                .map(|key| (kid.to_owned(), key))
        })
        .collect()
}
