//! rustls client configurations for each libpq sslmode (no openssl)

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::Socket;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::target::{SslMode, TargetError};

/// How much of the server certificate is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verification {
    /// encryption only, like libpq's prefer and require
    None,
    /// the chain up to a trusted root, not the host name (verify-ca)
    Chain,
    /// chain and host name (verify-full)
    Full,
}

impl Verification {
    /// libpq rules: require with a root certificate behaves like verify-ca.
    pub(crate) fn for_mode(mode: SslMode, root_cert: Option<&Path>) -> Verification {
        match mode {
            SslMode::Disable | SslMode::Prefer => Verification::None,
            SslMode::Require if root_cert.is_some() => Verification::Chain,
            SslMode::Require => Verification::None,
            SslMode::VerifyCa => Verification::Chain,
            SslMode::VerifyFull => Verification::Full,
        }
    }
}

/// The TLS connector for tokio-postgres and deadpool-postgres, configured for one sslmode.
///
/// Unlike `MakeRustlsConnect` alone it accepts the empty host name tokio-postgres passes for Unix sockets
/// (where the server never offers TLS anyway).
#[derive(Clone)]
pub(crate) struct MakeTls(MakeRustlsConnect);

impl MakeTls {
    pub(crate) fn new(verification: Verification, root_cert: Option<&Path>) -> Result<MakeTls, TargetError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| TargetError::Tls { reason: e.to_string() })?;
        let config = match verification {
            Verification::None => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(LaxVerifier { chain: None, provider }))
                .with_no_client_auth(),
            Verification::Chain => {
                let chain = webpki_verifier(root_cert, provider.clone())?;
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(LaxVerifier { chain: Some(chain), provider }))
                    .with_no_client_auth()
            }
            Verification::Full => {
                builder.with_webpki_verifier(webpki_verifier(root_cert, provider)?).with_no_client_auth()
            }
        };
        Ok(MakeTls(MakeRustlsConnect::new(config)))
    }
}

impl MakeTlsConnect<Socket> for MakeTls {
    type Stream = <MakeRustlsConnect as MakeTlsConnect<Socket>>::Stream;
    type TlsConnect = <MakeRustlsConnect as MakeTlsConnect<Socket>>::TlsConnect;
    type Error = <MakeRustlsConnect as MakeTlsConnect<Socket>>::Error;

    fn make_tls_connect(&mut self, hostname: &str) -> Result<Self::TlsConnect, Self::Error> {
        // tokio-postgres passes "" for Unix sockets and never starts TLS there
        let name = if hostname.is_empty() { "localhost" } else { hostname };
        MakeTlsConnect::<Socket>::make_tls_connect(&mut self.0, name)
    }
}

/// Trust anchors from `sslrootcert` (PEM, one or more certificates), or the webpki roots when it is
/// unset or `system`.
fn root_store(root_cert: Option<&Path>) -> Result<RootCertStore, TargetError> {
    let mut store = RootCertStore::empty();
    match root_cert {
        Some(path) if path != Path::new("system") => {
            let unreadable = |reason: String| TargetError::UnreadableRootCert { path: path.to_path_buf(), reason };
            let pem = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<_, _>>()
                .map_err(|e| unreadable(format!("invalid pem: {e}")))?;
            if certs.is_empty() {
                return Err(unreadable("no certificate in the file".into()));
            }
            for cert in certs {
                store.add(cert).map_err(|e| unreadable(e.to_string()))?;
            }
        }
        _ => store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    Ok(store)
}

fn webpki_verifier(
    root_cert: Option<&Path>,
    provider: Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>, TargetError> {
    WebPkiServerVerifier::builder_with_provider(Arc::new(root_store(root_cert)?), provider)
        .build()
        .map_err(|e| TargetError::Tls { reason: e.to_string() })
}

/// Accepts any certificate (`chain: None`), or a certificate whose chain verifies, whatever its names.
/// Handshake signatures are always checked, so the server holds the key of the certificate it shows.
#[derive(Debug)]
struct LaxVerifier {
    chain: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for LaxVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        // the webpki verifier checks the chain first, so a name error means the chain was fine
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}
