//! Nabo's planning layer: it turns organisation data into work. The demo district
//! generator, import and export of organisation data, and travel times live here.

pub mod day;
pub mod demo;
pub mod export;
pub mod import;
pub mod travel;
