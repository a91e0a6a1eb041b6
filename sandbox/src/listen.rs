//! The accept loop and the limits that keep the sandbox up under hostile clients: a header
//! read timeout, a cap on the request head, an idle timeout, a connection cap, and a bounded
//! graceful shutdown.
//!
//! HTTP/1.1 is served by hyper's `http1` connection builder (what `axum::serve` does for
//! HTTP/1, minus its missing timeouts); hyper-util's `GracefulShutdown` drains connections at
//! shutdown.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};

/// The smallest read buffer hyper accepts; the head cap is at least this much.
const MIN_BUF: usize = 8192;

/// Limits on what a client may hold of the server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) header_read_timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) max_connections: usize,
    pub(crate) max_header_bytes: usize,
    pub(crate) shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 4096,
            max_header_bytes: 32 * 1024,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// Serves `router` on `listener` until `stop` completes, then drains the open connections
/// for at most `limits.shutdown_grace` and closes what is left.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(nonzero(limits.header_read_timeout))
        .max_header_size(limits.max_header_bytes.max(1))
        // A head larger than the buffer is refused either way; keep the buffer above the cap.
        .max_buf_size(limits.max_header_bytes.max(MIN_BUF).max(400 * 1024));
    let slots = Arc::new(Semaphore::new(
        limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let graceful = GracefulShutdown::new();
    let mut conns = JoinSet::new();
    let mut refused: u64 = 0;
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut stop => break,
            Some(_) = conns.join_next(), if !conns.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    accept_error(&e).await;
                    continue;
                }
            },
        };
        // Over the cap the connection is closed at once rather than parked: a parked one
        // still costs a descriptor, and its client learns nothing until a slot frees up.
        let Ok(permit) = Arc::clone(&slots).try_acquire_owned() else {
            refused += 1;
            if refused.is_power_of_two() {
                tracing::warn!(%peer, refused, cap = limits.max_connections, "connection cap reached; closing new connections");
            }
            drop(stream);
            continue;
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(%peer, error = %e, "cannot set TCP_NODELAY");
        }
        let io = TokioIo::new(Idle::new(stream, limits.idle_timeout));
        // The peer's address, for the login's `Stats-last-ip`.
        let peer_info = axum::Extension(axum::extract::ConnectInfo(peer));
        let service = TowerToHyperService::new(router.clone().layer(peer_info));
        let conn = graceful.watch(http.serve_connection(io, service));
        conns.spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection closed with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::info!(
            open = conns.len(),
            "closing the connections still open after the shutdown grace"
        );
    }
    conns.shutdown().await;
}

/// `None` (no timeout) for zero, which hyper would take as "time out at once".
fn nonzero(d: Duration) -> Option<Duration> {
    (!d.is_zero()).then_some(d)
}

/// Keeps accepting after an error. Out of descriptors (or memory), wait a little for
/// connections to close instead of spinning; a connection that failed before it was accepted
/// concerns only its client.
async fn accept_error(e: &io::Error) {
    let per_connection = matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    );
    if !per_connection {
        tracing::warn!(error = %e, "accept failed; retrying in 50 ms");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A TCP stream that fails with `TimedOut` once no byte has moved either way for `timeout`
/// while hyper waits on it: a stalled upload, a client that does not read its answer, a
/// connection left open between requests. Zero: no timeout.
struct Idle {
    io: TcpStream,
    timeout: Option<Duration>,
    deadline: Pin<Box<Sleep>>,
}

impl Idle {
    fn new(io: TcpStream, timeout: Duration) -> Idle {
        let timeout = nonzero(timeout);
        // Far in the future when there is no timeout; never polled to completion then.
        let first = timeout.unwrap_or(Duration::from_secs(86_400 * 365));
        Idle {
            io,
            timeout,
            deadline: Box::pin(tokio::time::sleep(first)),
        }
    }

    /// Something moved: the idle time starts again.
    fn moved(&mut self) {
        if let Some(t) = self.timeout {
            self.deadline.as_mut().reset(Instant::now() + t);
        }
    }

    /// Nothing can move now: `Pending`, or `TimedOut` if it has been so for too long.
    fn stalled<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        if self.timeout.is_some() && self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "connection idle for too long",
            )));
        }
        Poll::Pending
    }
}

impl AsyncRead for Idle {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.moved();
                Poll::Ready(r)
            }
            Poll::Pending => this.stalled(cx),
        }
    }
}

impl AsyncWrite for Idle {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_write(cx, buf) {
            Poll::Ready(r) => {
                this.moved();
                Poll::Ready(r)
            }
            Poll::Pending => this.stalled(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_write_vectored(cx, bufs) {
            Poll::Ready(r) => {
                this.moved();
                Poll::Ready(r)
            }
            Poll::Pending => this.stalled(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_flush(cx) {
            Poll::Ready(r) => Poll::Ready(r),
            Poll::Pending => this.stalled(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_shutdown(cx) {
            Poll::Ready(r) => Poll::Ready(r),
            Poll::Pending => this.stalled(cx),
        }
    }
}
