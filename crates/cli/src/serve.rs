//! `nabo serve`: the web app and JSON API on a database.

use anyhow::{Context, Result};
use clap::Args;
use nabo_store::Store;
use std::net::SocketAddr;

/// Where the data lives; shared by every command that opens the database.
#[derive(Args, Clone, Debug)]
pub struct DatabaseArgs {
    /// The database: sqlite://FILE (created if missing) or postgres://USER@HOST:PORT/DB.
    #[arg(long, env = "NABO_DATABASE", default_value = "sqlite://nabo-demo.db")]
    pub database: String,
}

impl DatabaseArgs {
    pub async fn open(&self) -> Result<Store> {
        Store::connect(&self.database)
            .await
            .with_context(|| format!("could not open the database {}", redact(&self.database)))
    }
}

/// A database URL without its password, fit for logs and error messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    #[command(flatten)]
    pub web: WebArgs,
}

/// How the web app listens.
#[derive(Args, Clone, Debug)]
pub struct WebArgs {
    /// Address and port to listen on.
    #[arg(long, env = "NABO_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Mark the session cookie Secure (set this when Nabo is served over HTTPS).
    #[arg(long, env = "NABO_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// An OSRM-compatible routing service for real road travel times, e.g.
    /// http://osrm.intranet:5000. Without it, times come from straight-line distance.
    #[arg(long, env = "NABO_ROUTER_URL")]
    pub router_url: Option<String>,
}

pub async fn run(args: ServeArgs) -> Result<()> {
    let store = args.db.open().await?;
    serve(store, &args.web, None).await
}

/// Serves until Ctrl-C. `banner` is printed once the port is open.
pub async fn serve(store: Store, web: &WebArgs, banner: Option<String>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(web.listen)
        .await
        .with_context(|| {
            format!(
                "could not listen on {}: is another Nabo running? Choose another with --listen",
                web.listen
            )
        })?;
    let address = listener.local_addr()?;
    // A server whose stdout reader went away (`nabo serve | head -1`) keeps serving: the
    // banner is for people, so a write error is not a reason to stop.
    let mut text = format!("Nabo is running on http://{address}/\n");
    if let Some(banner) = banner {
        text.push_str(&banner);
        text.push('\n');
    }
    text.push_str("Stop it with Ctrl-C.\n");
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    }
    let config = nabo_web::AppConfig {
        secure_cookies: web.secure_cookies,
        router_url: web.router_url.clone(),
        ..nabo_web::AppConfig::default()
    };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    };
    nabo_web::launch(listener, store, config, shutdown).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(
            redact("postgres://nabo:hemmelig@db:5432/nabo"),
            "postgres://nabo:***@db:5432/nabo"
        );
        assert_eq!(redact("sqlite://nabo.db"), "sqlite://nabo.db");
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
    }
}
