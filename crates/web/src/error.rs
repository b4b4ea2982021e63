//! The one place where failures become HTTP responses. Handlers return [`AppError`];
//! it decides the status and a JSON body, and [`html_errors`] turns that body into a
//! Danish error page for everything outside `/api/`.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use nabo_domain::FieldError;
use nabo_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// What was asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The input breaks rules; every problem is named by field.
    #[error("invalid input ({} problems)", .0.len())]
    Invalid(Vec<FieldError>),
    /// No valid session.
    #[error("log-in required")]
    Unauthorized,
    /// The change clashes with the stored data.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The request was refused for safety (cross-site write).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Anything else: logged in full, shown to the user only as "something went wrong".
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(fields) => AppError::Invalid(fields),
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::Dataset(errors) => AppError::Invalid(
                errors
                    .into_iter()
                    .map(|d| {
                        FieldError::new(
                            format!("{}[{}].{}", d.collection, d.index, d.field),
                            d.message,
                        )
                    })
                    .collect(),
            ),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// One problem with one field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldErrorDto {
    /// Path of the field in the request body, e.g. `contacts[1].phone`.
    #[schema(example = "contract_hours")]
    pub field: String,
    #[schema(example = "must be between 0 and 48 hours per week")]
    pub message: String,
}

/// The body of every error response of the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code: `not_found`, `invalid`, `unauthorized`, `conflict`, `forbidden`
    /// or `internal`.
    #[schema(example = "invalid")]
    pub error: &'static str,
    pub message: String,
    /// For `invalid`: every problem, by field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldErrorDto>,
    #[serde(skip)]
    status: u16,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, fields) = match self {
            AppError::NotFound(what) => (StatusCode::NOT_FOUND, "not_found", what, vec![]),
            AppError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "the request has invalid fields; see `fields`".to_owned(),
                fields,
            ),
            AppError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "log in first: POST /api/v1/session".to_owned(),
                vec![],
            ),
            AppError::Conflict(what) => (StatusCode::CONFLICT, "conflict", what, vec![]),
            AppError::Forbidden(why) => (StatusCode::FORBIDDEN, "forbidden", why, vec![]),
            AppError::Internal(details) => {
                // Details may hold SQL or paths: they go to the log, never to the client.
                tracing::error!(error = %details, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong; the details are in the server log".to_owned(),
                    vec![],
                )
            }
        };
        let body = ErrorBody {
            error: code,
            message,
            fields: fields
                .into_iter()
                .map(|f| FieldErrorDto {
                    field: f.field,
                    message: f.message,
                })
                .collect(),
            status: status.as_u16(),
        };
        let mut res = (status, Json(body.clone())).into_response();
        res.extensions_mut().insert(body);
        res
    }
}

/// Outside `/api/`, replaces an error's JSON with a Danish page of the same status.
pub async fn html_errors(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if is_api {
        return res;
    }
    let Some(body) = res.extensions().get::<ErrorBody>().cloned() else {
        return res;
    };
    let status = StatusCode::from_u16(body.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let page = crate::pages::ErrorPage::for_status(status);
    match askama::Template::render(&page) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not render the error page");
            res
        }
    }
}
