//! Conversions between domain values and columns, and the batched writer every insert
//! goes through.

use jiff::civil::{Date, Time};
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// A column value on its way into the database.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Real(f64),
    OptReal(Option<f64>),
}

impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(v.to_owned())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(v)
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::OptText(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::OptInt(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::Real(v)
    }
}
impl From<Option<f64>> for Val {
    fn from(v: Option<f64>) -> Self {
        Val::OptReal(v)
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::Int(i64::from(v))
    }
}

pub(crate) type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

pub(crate) fn bind(q: Query<'_>, v: Val) -> Query<'_> {
    match v {
        Val::Text(s) => q.bind(s),
        Val::OptText(s) => q.bind(s),
        Val::Int(i) => q.bind(i),
        Val::OptInt(i) => q.bind(i),
        Val::Real(r) => q.bind(r),
        Val::OptReal(r) => q.bind(r),
    }
}

/// A table as the batched writer sees it.
pub(crate) struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// Columns of the unique key an existing row is found by; `None` for plain inserts.
    pub key: Option<&'static [&'static str]>,
}

/// Most bind parameters in one statement; below SQLite's and PostgreSQL's limits, and
/// big enough that a large import needs few round trips.
const MAX_PARAMS: usize = 8_000;
const MAX_ROWS: usize = 500;

/// How the batched statements number their parameters. They bind in order, so SQLite
/// gets anonymous `?`: with numbered ones it looks each parameter's name up in a list,
/// which makes binding a statement with thousands of parameters quadratic.
#[derive(Clone, Copy)]
enum Style {
    Numbered,
    Anonymous,
}

fn style(conn: &AnyConnection) -> Style {
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        Style::Anonymous
    } else {
        Style::Numbered
    }
}

fn placeholder(sql: &mut String, style: Style, n: usize) {
    match style {
        Style::Anonymous => sql.push('?'),
        Style::Numbered => {
            sql.push('$');
            sql.push_str(&n.to_string());
        }
    }
}

fn insert_sql(table: &Table, rows: usize, style: Style) -> String {
    let n = table.columns.len();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        table.name,
        table.columns.join(", ")
    );
    let mut p = 1;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..n {
            if c > 0 {
                sql.push_str(", ");
            }
            placeholder(&mut sql, style, p);
            p += 1;
        }
        sql.push(')');
    }
    if let Some(key) = table.key {
        let updates: Vec<String> = table
            .columns
            .iter()
            .filter(|c| !key.contains(c))
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        if updates.is_empty() {
            sql.push_str(&format!(" ON CONFLICT ({}) DO NOTHING", key.join(", ")));
        } else {
            sql.push_str(&format!(
                " ON CONFLICT ({}) DO UPDATE SET {}",
                key.join(", "),
                updates.join(", ")
            ));
        }
    }
    sql
}

/// Writes rows in multi-row statements (inserting, or updating rows whose key exists).
/// A full batch always has the same SQL, so the prepared statement is reused.
pub(crate) async fn write_rows(
    conn: &mut AnyConnection,
    table: &Table,
    rows: Vec<Vec<Val>>,
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let n = table.columns.len();
    let per_batch = (MAX_PARAMS / n).clamp(1, MAX_ROWS);
    let style = style(conn);
    let full_sql = (rows.len() >= per_batch).then(|| insert_sql(table, per_batch, style));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<Vec<Val>> = rows.by_ref().take(per_batch).collect();
        let sql = match &full_sql {
            Some(sql) if batch.len() == per_batch => sql.clone(),
            _ => insert_sql(table, batch.len(), style),
        };
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for row in batch {
            debug_assert_eq!(row.len(), n, "row for {} has the wrong width", table.name);
            for v in row {
                q = bind(q, v);
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Deletes the rows of `table` whose `column` is one of `ids` (children of records about
/// to be rewritten).
pub(crate) async fn delete_where_in(
    conn: &mut AnyConnection,
    table: &str,
    column: &str,
    ids: &[&str],
) -> Result<(), sqlx::Error> {
    let style = style(conn);
    for chunk in ids.chunks(MAX_ROWS) {
        let mut sql = format!("DELETE FROM {table} WHERE {column} IN (");
        for i in 1..=chunk.len() {
            if i > 1 {
                sql.push_str(", ");
            }
            placeholder(&mut sql, style, i);
        }
        sql.push(')');
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

// ---- values to columns ----

pub(crate) fn date_text(d: Date) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

/// 'HH:MM', with seconds only when there are any, so nothing is lost.
pub(crate) fn time_text(t: Time) -> String {
    if t.subsec_nanosecond() != 0 {
        t.strftime("%H:%M:%S%.f").to_string()
    } else if t.second() != 0 {
        t.strftime("%H:%M:%S").to_string()
    } else {
        t.strftime("%H:%M").to_string()
    }
}

pub(crate) fn millis(t: Timestamp) -> i64 {
    t.as_millisecond()
}

/// The JSON name of a unit enum variant (`Profession::CareHelper` -> "care_helper").
pub(crate) fn enum_text<T: Serialize + std::fmt::Debug>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        // Every enum stored this way is a unit enum that serialises as a string.
        _ => format!("{v:?}"),
    }
}

// ---- columns to values ----

/// A value in the database that the domain does not accept: someone edited the
/// database by hand, or a migration is missing.
pub(crate) fn corrupt(
    table: &str,
    column: &str,
    row: &AnyRow,
    why: impl std::fmt::Display,
) -> sqlx::Error {
    let id: String = row
        .try_get::<String, _>("id")
        .or_else(|_| row.try_get::<i64, _>("id").map(|i| i.to_string()))
        .unwrap_or_else(|_| "?".into());
    sqlx::Error::Decode(format!("{table}.{column} of row '{id}' cannot be read: {why}").into())
}

pub(crate) struct Reader<'r> {
    pub table: &'static str,
    pub row: &'r AnyRow,
}

impl<'r> Reader<'r> {
    pub fn new(table: &'static str, row: &'r AnyRow) -> Self {
        Self { table, row }
    }

    pub fn text(&self, col: &str) -> Result<String, sqlx::Error> {
        self.row.try_get(col)
    }
    pub fn opt_text(&self, col: &str) -> Result<Option<String>, sqlx::Error> {
        self.row.try_get(col)
    }
    pub fn int(&self, col: &str) -> Result<i64, sqlx::Error> {
        self.row.try_get(col)
    }
    pub fn opt_int(&self, col: &str) -> Result<Option<i64>, sqlx::Error> {
        self.row.try_get(col)
    }
    pub fn real(&self, col: &str) -> Result<f64, sqlx::Error> {
        self.row.try_get(col)
    }
    pub fn opt_real(&self, col: &str) -> Result<Option<f64>, sqlx::Error> {
        self.row.try_get(col)
    }
    pub fn bool(&self, col: &str) -> Result<bool, sqlx::Error> {
        Ok(self.int(col)? != 0)
    }
    pub fn small<T: TryFrom<i64>>(&self, col: &str) -> Result<T, sqlx::Error> {
        let v = self.int(col)?;
        T::try_from(v)
            .map_err(|_| corrupt(self.table, col, self.row, format!("{v} is out of range")))
    }
    pub fn date(&self, col: &str) -> Result<Date, sqlx::Error> {
        let s = self.text(col)?;
        s.parse().map_err(|e| {
            corrupt(
                self.table,
                col,
                self.row,
                format!("'{s}' is not a date: {e}"),
            )
        })
    }
    pub fn opt_date(&self, col: &str) -> Result<Option<Date>, sqlx::Error> {
        match self.opt_text(col)? {
            None => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|e| {
                corrupt(
                    self.table,
                    col,
                    self.row,
                    format!("'{s}' is not a date: {e}"),
                )
            }),
        }
    }
    pub fn time(&self, col: &str) -> Result<Time, sqlx::Error> {
        let s = self.text(col)?;
        s.parse().map_err(|e| {
            corrupt(
                self.table,
                col,
                self.row,
                format!("'{s}' is not a time: {e}"),
            )
        })
    }
    pub fn instant(&self, col: &str) -> Result<Timestamp, sqlx::Error> {
        let ms = self.int(col)?;
        Timestamp::from_millisecond(ms).map_err(|e| corrupt(self.table, col, self.row, e))
    }
    pub fn opt_instant(&self, col: &str) -> Result<Option<Timestamp>, sqlx::Error> {
        match self.opt_int(col)? {
            None => Ok(None),
            Some(ms) => Timestamp::from_millisecond(ms)
                .map(Some)
                .map_err(|e| corrupt(self.table, col, self.row, e)),
        }
    }
    pub fn enumeration<T: DeserializeOwned>(&self, col: &str) -> Result<T, sqlx::Error> {
        let s = self.text(col)?;
        parse_enum(&s)
            .ok_or_else(|| corrupt(self.table, col, self.row, format!("unknown value '{s}'")))
    }
}

pub(crate) fn parse_enum<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}
