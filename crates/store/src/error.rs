use nabo_domain::dataset::DatasetError;
use nabo_domain::FieldError;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A value was refused before anything was written; each error names its field.
    #[error("invalid: {}", join(.0))]
    Invalid(Vec<FieldError>),
    /// An import was refused before anything was written; each error names its place.
    #[error("the dataset has {} problem(s): {}", .0.len(), join(.0))]
    Dataset(Vec<DatasetError>),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("could not bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    BadUrl(String),
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
