// `Call`: one operation on its way out, awaited to send it. Shared, as
// text, by `stytch-client` (which `include!`s it) and every standalone
// client crate the generator writes. The including module brings
// `Operation`, `Client` and `Error` into scope.

/// One call of an operation, returned by every request function
/// (`client.users().get(user_id)`). `.await` it to send it; before that,
/// set the operation's optional parameters on it.
///
/// Nothing is sent until it is awaited, and each await sends exactly once.
#[must_use = "a call does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct Call<'a, O> {
    client: &'a Client,
    operation: O,
}

impl<'a, O: Operation> Call<'a, O> {
    /// A call of `operation` through `client`; the request functions build
    /// these, and so can a caller holding an operation value.
    pub fn new(client: &'a Client, operation: O) -> Self {
        Call { client, operation }
    }

    /// The operation as it will be sent.
    pub fn operation(&self) -> &O {
        &self.operation
    }

    /// Changes the operation (used by the optional-parameter setters).
    pub fn map(self, change: impl FnOnce(O) -> O) -> Self {
        Call {
            client: self.client,
            operation: change(self.operation),
        }
    }

    /// Sends the call; the same as `.await` on it.
    pub async fn send(self) -> Result<O::Response, Error> {
        self.client.send_operation(&self.operation).await
    }
}

impl<'a, O> std::future::IntoFuture for Call<'a, O>
where
    O: Operation + Send + Sync + 'a,
    O::Body: Sync,
    O::Response: Send,
{
    type Output = Result<O::Response, Error>;
    type IntoFuture =
        std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
