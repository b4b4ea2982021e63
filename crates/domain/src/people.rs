//! Staff and citizens.

use crate::geo::GeoPoint;
use crate::ids::{CitizenId, EmployeeId, TeamId};
use crate::validation::{Checker, FieldError, Validate};
use serde::{Deserialize, Serialize};

/// A staff member's profession.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    /// *Ufaglært* helper.
    Unskilled,
    /// *Social- og sundhedshjælper* (SSH).
    #[serde(alias = "ssh")]
    CareHelper,
    /// *Social- og sundhedsassistent* (SSA); may take delegated nursing tasks.
    #[serde(alias = "ssa")]
    CareAssistant,
    /// *Sygeplejerske*.
    Nurse,
    /// *Ergoterapeut*.
    OccupationalTherapist,
    /// *Fysioterapeut*.
    Physiotherapist,
}

impl Profession {
    pub const ALL: [Profession; 6] = [
        Profession::Unskilled,
        Profession::CareHelper,
        Profession::CareAssistant,
        Profession::Nurse,
        Profession::OccupationalTherapist,
        Profession::Physiotherapist,
    ];

    /// What this profession is qualified for by training.
    pub fn qualification(self) -> Qualification {
        match self {
            Profession::Unskilled => Qualification::Unskilled,
            Profession::CareHelper => Qualification::CareHelper,
            Profession::CareAssistant => Qualification::CareAssistant,
            Profession::Nurse => Qualification::Nurse,
            Profession::OccupationalTherapist => Qualification::OccupationalTherapy,
            Profession::Physiotherapist => Qualification::Physiotherapy,
        }
    }

    /// Occupational therapists and physiotherapists: outside the care ladder.
    pub fn is_therapist(self) -> bool {
        matches!(
            self,
            Profession::OccupationalTherapist | Profession::Physiotherapist
        )
    }

    /// The Danish title a team uses.
    pub fn label_da(self) -> &'static str {
        match self {
            Profession::Unskilled => "Ufaglært",
            Profession::CareHelper => "Social- og sundhedshjælper",
            Profession::CareAssistant => "Social- og sundhedsassistent",
            Profession::Nurse => "Sygeplejerske",
            Profession::OccupationalTherapist => "Ergoterapeut",
            Profession::Physiotherapist => "Fysioterapeut",
        }
    }

    /// The short form used on a rota (SSH, SSA, SPL, ...).
    pub fn abbreviation(self) -> &'static str {
        match self {
            Profession::Unskilled => "UF",
            Profession::CareHelper => "SSH",
            Profession::CareAssistant => "SSA",
            Profession::Nurse => "SPL",
            Profession::OccupationalTherapist => "ERGO",
            Profession::Physiotherapist => "FYS",
        }
    }
}

/// What a visit requires of the staff member who does it. Care qualifications form a
/// ladder (unskilled < care helper < care assistant < nurse): a higher one may do a
/// lower one's visit. Therapy qualifications stand apart from the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualification {
    Unskilled,
    #[serde(alias = "ssh")]
    CareHelper,
    #[serde(alias = "ssa")]
    CareAssistant,
    Nurse,
    OccupationalTherapy,
    Physiotherapy,
}

impl Qualification {
    pub const ALL: [Qualification; 6] = [
        Qualification::Unskilled,
        Qualification::CareHelper,
        Qualification::CareAssistant,
        Qualification::Nurse,
        Qualification::OccupationalTherapy,
        Qualification::Physiotherapy,
    ];

    /// The rung on the care ladder, or `None` for therapy.
    pub fn care_level(self) -> Option<u8> {
        match self {
            Qualification::Unskilled => Some(0),
            Qualification::CareHelper => Some(1),
            Qualification::CareAssistant => Some(2),
            Qualification::Nurse => Some(3),
            Qualification::OccupationalTherapy | Qualification::Physiotherapy => None,
        }
    }

    /// Whether holding `self` is enough for a visit that requires `required`.
    pub fn covers(self, required: Qualification) -> bool {
        match (self.care_level(), required.care_level()) {
            (Some(have), Some(need)) => have >= need,
            _ => self == required,
        }
    }

    pub fn label_da(self) -> &'static str {
        match self {
            Qualification::Unskilled => "Ingen krav",
            Qualification::CareHelper => "SSH",
            Qualification::CareAssistant => "SSA",
            Qualification::Nurse => "Sygeplejerske",
            Qualification::OccupationalTherapy => "Ergoterapi",
            Qualification::Physiotherapy => "Fysioterapi",
        }
    }
}

/// How a staff member gets from home to home; sets the travel speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TravelMode {
    Car,
    Bike,
    EBike,
    Foot,
}

impl TravelMode {
    pub const ALL: [TravelMode; 4] = [
        TravelMode::Car,
        TravelMode::Bike,
        TravelMode::EBike,
        TravelMode::Foot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TravelMode::Car => "car",
            TravelMode::Bike => "bike",
            TravelMode::EBike => "e_bike",
            TravelMode::Foot => "foot",
        }
    }

    pub fn label_da(self) -> &'static str {
        match self {
            TravelMode::Car => "Bil",
            TravelMode::Bike => "Cykel",
            TravelMode::EBike => "Elcykel",
            TravelMode::Foot => "Til fods",
        }
    }
}

/// A member of staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Employee {
    pub id: EmployeeId,
    pub name: String,
    pub profession: Profession,
    /// Qualifications beyond the profession's own (e.g. a care helper trained for
    /// delegated tasks at assistant level).
    #[serde(default)]
    pub extra_qualifications: Vec<Qualification>,
    pub home_team: TeamId,
    /// Contracted hours per week (37 is full time in Denmark).
    pub contract_hours: f64,
    #[serde(default)]
    pub phone: Option<String>,
    pub travel_mode: TravelMode,
}

impl Employee {
    pub fn can_do(&self, required: Qualification) -> bool {
        self.profession.qualification().covers(required)
            || self.extra_qualifications.iter().any(|q| q.covers(required))
    }
}

/// Highest weekly contract accepted; above this a figure is almost surely a typo.
pub const MAX_CONTRACT_HOURS: f64 = 48.0;

fn check_phone(c: &mut Checker, field: &str, phone: &Option<String>) {
    if let Some(phone) = phone {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|ch| ch.is_ascii_digit() || matches!(ch, '+' | ' ' | '-' | '(' | ')'));
        c.check(
            allowed && (8..=15).contains(&digits),
            field,
            "must be a phone number of 8 to 15 digits (spaces, '+', '-' allowed)",
        );
    }
}

impl Validate for Employee {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.text("name", &self.name, 200);
        c.id("home_team", self.home_team.as_str());
        c.check(
            self.contract_hours.is_finite()
                && (0.0..=MAX_CONTRACT_HOURS).contains(&self.contract_hours),
            "contract_hours",
            format!("must be between 0 and {MAX_CONTRACT_HOURS} hours per week"),
        );
        check_phone(&mut c, "phone", &self.phone);
        c.finish()
    }
}

/// A relative or someone else in the citizen's network (*pårørende*).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    /// How they relate to the citizen ("datter", "nabo").
    pub relation: String,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A citizen's wish about a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffPreference {
    Preferred,
    Refused,
}

/// A citizen (*borger*) who receives home care or nursing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citizen {
    pub id: CitizenId,
    pub name: String,
    pub address: String,
    pub location: GeoPoint,
    pub team_id: TeamId,
    /// What everyone entering the home must know (*nøgleoplysninger*): key box, dog, ...
    #[serde(default)]
    pub key_information: String,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub preferred_staff: Vec<EmployeeId>,
    #[serde(default)]
    pub refused_staff: Vec<EmployeeId>,
}

impl Citizen {
    pub fn preference_for(&self, employee: &EmployeeId) -> Option<StaffPreference> {
        if self.refused_staff.contains(employee) {
            Some(StaffPreference::Refused)
        } else if self.preferred_staff.contains(employee) {
            Some(StaffPreference::Preferred)
        } else {
            None
        }
    }
}

impl Validate for Citizen {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.text("name", &self.name, 200);
        c.text("address", &self.address, 300);
        if let Some(problem) = self.location.problem() {
            c.check(false, "location", problem);
        }
        c.id("team_id", self.team_id.as_str());
        c.check(
            self.key_information.chars().count() <= 2000,
            "key_information",
            "must be at most 2000 characters",
        );
        for (i, contact) in self.contacts.iter().enumerate() {
            let field = format!("contacts[{i}]");
            c.text(&format!("{field}.name"), &contact.name, 200);
            check_phone(&mut c, &format!("{field}.phone"), &contact.phone);
        }
        for (i, id) in self.preferred_staff.iter().enumerate() {
            c.id(&format!("preferred_staff[{i}]"), id.as_str());
        }
        for (i, id) in self.refused_staff.iter().enumerate() {
            c.id(&format!("refused_staff[{i}]"), id.as_str());
            c.check(
                !self.preferred_staff.contains(id),
                &format!("refused_staff[{i}]"),
                format!("{id} is both preferred and refused; keep one"),
            );
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nurse_may_do_a_care_helpers_visit_but_not_a_therapists() {
        assert!(Qualification::Nurse.covers(Qualification::CareHelper));
        assert!(!Qualification::CareHelper.covers(Qualification::CareAssistant));
        assert!(!Qualification::Nurse.covers(Qualification::Physiotherapy));
        assert!(Qualification::Physiotherapy.covers(Qualification::Physiotherapy));
        assert!(!Qualification::Physiotherapy.covers(Qualification::Unskilled));
    }

    #[test]
    fn an_extra_qualification_widens_what_an_employee_may_do() {
        let mut e = Employee {
            id: "e1".into(),
            name: "Anna".into(),
            profession: Profession::CareHelper,
            extra_qualifications: vec![],
            home_team: "t1".into(),
            contract_hours: 32.0,
            phone: Some("+45 12 34 56 78".into()),
            travel_mode: TravelMode::Car,
        };
        assert!(e.validate().is_empty());
        assert!(!e.can_do(Qualification::CareAssistant));
        e.extra_qualifications.push(Qualification::CareAssistant);
        assert!(e.can_do(Qualification::CareAssistant));
        e.contract_hours = 80.0;
        e.phone = Some("12".into());
        let fields: Vec<_> = e.validate().into_iter().map(|x| x.field).collect();
        assert_eq!(fields, ["contract_hours", "phone"]);
    }
}
