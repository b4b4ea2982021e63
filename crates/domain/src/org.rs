//! Organisation → district → team.

use crate::geo::GeoPoint;
use crate::ids::{DistrictId, OrganisationId, TeamId};
use crate::validation::{Checker, FieldError, Validate};
use serde::{Deserialize, Serialize};

/// A municipality (or a private provider) using Nabo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
}

/// A geographic district (*område*), e.g. Vojens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct District {
    pub id: DistrictId,
    pub organisation_id: OrganisationId,
    pub name: String,
}

/// A small self-managing team that owns a neighbourhood's citizens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub district_id: DistrictId,
    pub name: String,
    /// Where shifts start and end unless a shift says otherwise (the team's base).
    pub base: GeoPoint,
}

impl Validate for Organisation {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.text("name", &self.name, 200);
        c.finish()
    }
}

impl Validate for District {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.id("organisation_id", self.organisation_id.as_str());
        c.text("name", &self.name, 200);
        c.finish()
    }
}

impl Validate for Team {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.id("district_id", self.district_id.as_str());
        c.text("name", &self.name, 200);
        if let Some(problem) = self.base.problem() {
            c.check(false, "base", problem);
        }
        c.finish()
    }
}
