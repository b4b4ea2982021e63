//! Nabo's web app and JSON API: server-rendered pages for care staff (Danish UI) and
//! `/api/v1` for integrations, both on one axum router over a [`Store`].
//!
//! Architecture invariant: the server keeps no state of its own between requests.
//! Sessions live in the database, so several processes can share one PostgreSQL
//! database behind a load balancer; the only in-process values are the configuration
//! and the compiled-in assets and templates.

mod api;
mod assets;
mod auth;
mod error;
mod pages;
mod view;

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::{middleware, Extension, Router};
use nabo_store::Store;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tower_http::trace::TraceLayer;

pub use auth::{hash_password, verify_password};
pub use error::AppError;

/// How the web app behaves; everything else comes from the database.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Mark the session cookie `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// How long a log-in lasts; a care shift plus some slack by default.
    pub session_ttl: Duration,
    /// An OSRM-compatible routing service for travel times (used by planning).
    pub router_url: Option<String>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_ttl: Duration::from_secs(12 * 60 * 60),
            router_url: None,
        }
    }
}

/// What every handler gets: the store and the configuration. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<AppConfig>,
}

impl AppState {
    pub fn new(store: Store, config: AppConfig) -> Self {
        Self {
            store,
            config: Arc::new(config),
        }
    }
}

/// The whole app: pages, API, assets and health check, with tracing, CSRF and
/// security headers.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = api::routes(&state).split_for_parts();
    Router::new()
        .merge(pages::routes(&state))
        .merge(api)
        .route("/healthz", get(healthz))
        .route("/assets/{file}", get(assets::serve))
        .fallback(fallback)
        .layer(Extension(Arc::new(openapi)))
        .layer(middleware::from_fn(error::html_errors))
        .layer(middleware::from_fn(auth::same_origin_writes))
        .layer(middleware::map_response(security_headers))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // The matched route (`/citizens/{id}`), not the raw path: ids are personal data
            // and would explode the number of distinct spans.
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map_or("(unmatched)", MatchedPath::as_str);
            tracing::info_span!("request", method = %req.method(), route)
        }))
        .with_state(state)
}

/// Serves the app on `listener` until `shutdown` completes, then finishes open requests.
pub async fn launch(
    listener: tokio::net::TcpListener,
    store: Store,
    config: AppConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(AppState::new(store, config));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Liveness and database reachability, for load balancers.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    use axum::response::IntoResponse;
    match state.store.is_empty().await {
        Ok(_) => "ok\n".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unreachable\n",
            )
                .into_response()
        }
    }
}

async fn fallback() -> AppError {
    AppError::NotFound("no such page or API route".into())
}

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages and API answers hold personal data and are often read on shared devices:
    // nothing is kept in caches unless the handler says so (assets do).
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    res
}
