//! The hub's connections: its own accept loop, so that every connection has
//! limits of its own — a TLS handshake must finish in [`HANDSHAKE_TIMEOUT`], a
//! request's headers must arrive in [`HEADER_READ_TIMEOUT`], and at most
//! [`MAX_CONNECTIONS`] are open at once. Each handshake and each connection runs
//! in its own task, so a client that connects and says nothing holds up nobody.
//!
//! TLS is rustls (on ring), configured from PEM files; without it the hub
//! listens on loopback only (see [`crate::server::check_listen`]).

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use dossier_model::{Error, Result};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// A TLS handshake longer than this is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// A request whose headers take longer than this to arrive closes its connection.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections open at once; more wait in the kernel's queue.
pub const MAX_CONNECTIONS: usize = 4_096;
/// How long a stopping hub lets requests in flight finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// A certificate chain or key file larger than this is not one.
const MAX_PEM_BYTES: u64 = 1 << 20;

/// The hub's TLS: its certificate chain and private key.
#[derive(Clone)]
pub struct Tls(Arc<ServerConfig>);

fn read_pem(path: &Path, what: &str) -> Result<Vec<u8>> {
    let bytes = dossier_model::limits::read_capped(path, MAX_PEM_BYTES)
        .map_err(|e| Error::io(format!("the {what} {path:?}"), e))?;
    if bytes.len() as u64 > MAX_PEM_BYTES {
        return Err(Error::invalid(format!(
            "the {what} {path:?} is larger than {MAX_PEM_BYTES} bytes: not a PEM file"
        )));
    }
    Ok(bytes)
}

impl Tls {
    /// A certificate chain (PEM, the hub's own certificate first) and its
    /// private key (PEM: PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<Tls> {
        let cert_pem = read_pem(cert, "certificate file")?;
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::invalid(format!("the certificate file {cert:?}: {e}")))?;
        if chain.is_empty() {
            return Err(Error::invalid(format!(
                "the certificate file {cert:?} holds no certificate (PEM: -----BEGIN CERTIFICATE-----)"
            )));
        }
        let key_pem = read_pem(key, "key file")?;
        let key_der = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
            Error::invalid(format!(
                "the key file {key:?} holds no private key in PEM: {e}"
            ))
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::internal(format!("TLS versions: {e}")))?
            .with_no_client_auth()
            .with_single_cert(chain, key_der)
            .map_err(|e| {
                Error::invalid(format!(
                    "the certificate {cert:?} and the key {key:?} do not make a TLS identity: {e}"
                ))
            })?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls(Arc::new(config)))
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets the
/// requests in flight finish (for up to 30 s).
pub async fn serve(
    listener: TcpListener,
    tls: Option<Tls>,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let acceptor = tls.map(|t| TlsAcceptor::from(t.0));
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let service = TowerToHyperService::new(router);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            _ = &mut shutdown => break,
            p = slots.clone().acquire_owned() => p.map_err(|_| Error::internal("the connection slots closed"))?,
        };
        let (tcp, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, go on.
                    eprintln!("dossier-hub: accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let _ = tcp.set_nodelay(true);
        let service = service.clone();
        let watcher = graceful.watcher();
        match acceptor.clone() {
            None => {
                tokio::spawn(async move {
                    connection(tcp, service, watcher).await;
                    drop(permit);
                });
            }
            Some(acceptor) => {
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(tls)) => connection(tls, service, watcher).await,
                        Ok(Err(e)) => log_handshake(peer, &e.to_string()),
                        Err(_) => log_handshake(peer, "no handshake within 10 s"),
                    }
                    drop(permit);
                });
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    Ok(())
}

fn log_handshake(peer: SocketAddr, why: &str) {
    eprintln!("dossier-hub: TLS handshake with {peer} failed: {why}");
}

async fn connection<I>(io: I, service: TowerToHyperService<Router>, watcher: Watcher)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(TokioIo::new(io), service);
    // A client that goes away mid-request is its own business, not the hub's.
    let _ = watcher.watch(conn).await;
}
