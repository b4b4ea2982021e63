//! `nabo import` and `nabo export`: organisation data in and out.

use crate::serve::DatabaseArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Files to import: .json (a whole dataset, as `nabo export` writes it) or .csv
    /// (citizens or staff, with a header row). All files go in one transaction.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

pub async fn import(args: ImportArgs) -> Result<()> {
    let store = args.db.open().await?;
    match nabo_planning::import::import_files(&store, &args.files).await {
        Ok(report) => {
            println!("{report}");
            Ok(())
        }
        Err(errors) => {
            eprintln!("{errors}");
            bail!("nothing was imported: the database is unchanged; mend the file(s) and run again")
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormat {
    /// One JSON file with everything (can be imported again).
    Json,
    /// citizens.csv and employees.csv in the --out folder.
    Csv,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// Where to write: a file for JSON (standard output when left out), a folder for CSV.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

pub async fn export(args: ExportArgs) -> Result<()> {
    let store = args.db.open().await?;
    match args.format {
        ExportFormat::Json => {
            let json = nabo_planning::export::export_json(&store).await?;
            match &args.out {
                Some(path) => std::fs::write(path, json)
                    .with_context(|| format!("could not write {}", path.display()))?,
                None => println!("{json}"),
            }
        }
        ExportFormat::Csv => {
            let Some(dir) = &args.out else {
                bail!("--format csv writes two files: name a folder with --out DIR");
            };
            std::fs::create_dir_all(dir)
                .with_context(|| format!("could not create {}", dir.display()))?;
            let citizens = nabo_planning::export::export_citizens_csv(&store).await?;
            let employees = nabo_planning::export::export_employees_csv(&store).await?;
            for (name, text) in [("citizens.csv", citizens), ("employees.csv", employees)] {
                let path = dir.join(name);
                std::fs::write(&path, text)
                    .with_context(|| format!("could not write {}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
        }
    }
    Ok(())
}
