//! Identifiers. They are text chosen by whoever owns the data (a municipality's own
//! numbers survive an import and export unchanged), so they are validated, not generated.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest identifier accepted; keeps URLs and CSV cells sane.
pub const MAX_ID_LEN: usize = 64;

/// Why an identifier was refused.
pub fn id_problem(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return Some("must not be empty");
    }
    if value.len() > MAX_ID_LEN {
        return Some("must be at most 64 characters");
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Some("may only contain the letters a-z, A-Z, digits, '-', '_' and '.'");
    }
    None
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    };
}

id_type!(/// An organisation (a municipality).
    OrganisationId);
id_type!(/// A district (*område*) of an organisation.
    DistrictId);
id_type!(/// A self-managing team.
    TeamId);
id_type!(/// A staff member.
    EmployeeId);
id_type!(/// A citizen (*borger*).
    CitizenId);
id_type!(/// A grant (*bevilling*) from the visitation.
    GrantId);
id_type!(/// A recurring visit in the base plan (*grundplan*).
    RecurringVisitId);
id_type!(/// A dated visit.
    VisitId);
id_type!(/// A shift (*vagt*).
    ShiftId);
id_type!(/// An absence (*fravær*).
    AbsenceId);
id_type!(/// A time registration (*tidsregistrering*).
    TimeRegistrationId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_spaces_or_slashes_are_refused() {
        assert!(id_problem("E-001").is_none());
        assert!(id_problem("").is_some());
        assert!(id_problem("a b").is_some());
        assert!(id_problem("../x").is_some());
        assert!(id_problem(&"x".repeat(65)).is_some());
    }
}
