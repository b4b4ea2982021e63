//! Log-in, sessions and the guard against cross-site writes.
//!
//! A session is a random 256-bit token in an HttpOnly, SameSite=Lax cookie. The
//! database stores only the token's SHA-256, so a leaked database backup cannot be
//! replayed as a log-in. Passwords are argon2id PHC strings.

use crate::error::AppError;
use crate::AppState;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::{SignedDuration, Timestamp};
use nabo_store::User;
use rand::Rng;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "nabo_session";

/// The logged-in user, put into the request by the session guards.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub User);

/// An argon2id PHC string for `password`, with a fresh random salt and the argon2
/// crate's default (OWASP-recommended) cost. For creating users (`nabo demo`, admin).
pub fn hash_password(password: &str) -> String {
    PasswordHasher::<PasswordHash>::hash_password(&Argon2::default(), password.as_bytes())
        .map(|h| h.to_string())
        // Only fails on impossible parameters or a broken OS random source.
        .expect("argon2 with default parameters hashes any password")
}

/// Whether `password` matches the PHC string `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Checked against when the username is unknown, so that the answer takes as long as
/// for a wrong password and does not reveal which usernames exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("nabo-dummy-password"));

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn cookie_value(state: &AppState, value: &str, max_age_secs: u64) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age_secs}{secure}"
    );
    // The token is hex, so the header is always valid.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` that starts a session.
pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    cookie_value(state, token, state.config.session_ttl.as_secs())
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    cookie_value(state, "", 0)
}

/// The session token in the request's cookies, if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The user whose valid session the request carries.
pub async fn session_user(state: &AppState, headers: &HeaderMap) -> Result<Option<User>, AppError> {
    let Some(token) = cookie_token(headers) else {
        return Ok(None);
    };
    Ok(state
        .store
        .session_user(&token_hash(&token), Timestamp::now())
        .await?)
}

/// Checks the password and, if it matches, opens a session. Returns the user and the
/// token for the cookie; `None` for an unknown user or a wrong password alike.
pub async fn log_in(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<Option<(User, String)>, AppError> {
    let user = state.store.user_by_username(username.trim()).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let password = password.to_owned();
    // Argon2 is deliberately slow; keep it off the async workers.
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(format!("password check panicked: {e}")))?;
    let Some(user) = user.filter(|_| matches) else {
        tracing::info!("log-in refused");
        return Ok(None);
    };
    let now = Timestamp::now();
    let ttl = SignedDuration::try_from(state.config.session_ttl)
        .map_err(|e| AppError::Internal(format!("session ttl: {e}")))?;
    let expires = now
        .checked_add(ttl)
        .map_err(|e| AppError::Internal(format!("session expiry: {e}")))?;
    let token = new_token();
    state
        .store
        .create_session(&token_hash(&token), user.id, expires)
        .await?;
    // Tidy up while we are here; any server process may do it.
    state.store.delete_expired_sessions(now).await?;
    tracing::info!(user = %user.username, "logged in");
    Ok(Some((user, token)))
}

/// Ends the request's session, if it has one.
pub async fn log_out(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(token) = cookie_token(headers) {
        state.store.delete_session(&token_hash(&token)).await?;
    }
    Ok(())
}

/// Pages: without a session, go to the log-in form and come back afterwards.
pub async fn require_page_session(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    match session_user(&state, req.headers()).await {
        Ok(Some(user)) => {
            req.extensions_mut().insert(CurrentUser(user));
            next.run(req).await
        }
        Ok(None) => {
            let here = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            let target = if here == "/" {
                "/login".to_owned()
            } else {
                format!("/login?next={}", crate::view::url_encode(&here))
            };
            Redirect::to(&target).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// API: without a session, 401 with a JSON body.
pub async fn require_api_session(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    match session_user(&state, req.headers()).await {
        Ok(Some(user)) => {
            req.extensions_mut().insert(CurrentUser(user));
            next.run(req).await
        }
        Ok(None) => AppError::Unauthorized.into_response(),
        Err(e) => e.into_response(),
    }
}

/// The `host[:port]` of an absolute URL or origin.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// CSRF guard for every write. The cookie is SameSite=Lax, so browsers already leave
/// it off cross-site POSTs; on top, a write whose `Origin` (or, failing that,
/// `Referer`) names another site is refused. Clients that send neither (curl, other
/// servers) are not browsers and cannot be tricked into sending the cookie.
pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .map(|v| v.to_str().unwrap_or("null").to_owned());
    if let Some(source) = source {
        let hosts: Vec<&str> = [headers.get(header::HOST), headers.get("x-forwarded-host")]
            .into_iter()
            .flatten()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let ok =
            authority(&source).is_some_and(|a| hosts.iter().any(|h| h.eq_ignore_ascii_case(a)));
        if !ok {
            tracing::warn!(%source, "cross-site write refused");
            return AppError::Forbidden(
                "cross-site request refused: the Origin does not match this server".into(),
            )
            .into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash_password("korrekt hest");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("korrekt hest", &hash));
        assert!(!verify_password("forkert hest", &hash));
        assert!(!verify_password("korrekt hest", "not a phc string"));
        assert_ne!(hash, hash_password("korrekt hest"), "salts must differ");
    }

    #[test]
    fn tokens_are_256_bit_and_stored_only_as_their_hash() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        let h = token_hash(&a);
        assert_eq!(h.len(), 64);
        assert_ne!(h, a);
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; nabo_session=abc123; x=1"),
        );
        assert_eq!(cookie_token(&h).as_deref(), Some("abc123"));
        h.insert(header::COOKIE, HeaderValue::from_static("nabo_session="));
        assert_eq!(cookie_token(&h), None);
    }

    #[test]
    fn authority_is_read_from_origins_and_referers() {
        assert_eq!(authority("http://127.0.0.1:8080"), Some("127.0.0.1:8080"));
        assert_eq!(
            authority("https://nabo.example.dk/citizens/c1?x=1"),
            Some("nabo.example.dk")
        );
        assert_eq!(authority("null"), None);
    }
}
