//! Static files compiled into the binary: no CDN, nothing to deploy beside it. Pages
//! link them with `?v=<content hash>`, so browsers may keep them for a year and still
//! fetch a new version the moment it changes.

use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::LazyLock;

use crate::error::AppError;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "nabo.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/nabo.css"),
    },
    Asset {
        name: "nabo.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/nabo.js"),
    },
    Asset {
        name: "nabo.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../assets/nabo.svg"),
    },
];

/// Short content hashes, computed once per process from the embedded bytes.
static VERSIONS: LazyLock<HashMap<&'static str, String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let digest = Sha256::digest(a.body);
            let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
            (a.name, short)
        })
        .collect()
});

/// The URL to link an asset by, with its content version.
pub fn url(name: &str) -> String {
    match VERSIONS.get(name) {
        Some(v) => format!("/assets/{name}?v={v}"),
        None => format!("/assets/{name}"),
    }
}

pub async fn serve(
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let asset = ASSETS
        .iter()
        .find(|a| a.name == file)
        .ok_or_else(|| AppError::NotFound(format!("no asset named '{file}'")))?;
    let current = VERSIONS
        .get(asset.name)
        .is_some_and(|v| query.get("v") == Some(v));
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        asset.body,
    )
        .into_response())
}
