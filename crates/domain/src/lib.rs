//! Nabo's domain: the types a self-managing home-care team works with, and the rules
//! that make a value valid. No I/O lives here: no database, no files, no clock.
//!
//! The glossary (English in code, Danish in the UI) is in `shared/domain/README.md`.
//! Validation returns every problem at once, each naming the field it concerns, so an
//! import can report a whole file's errors in one go.

pub mod care;
pub mod dataset;
pub mod geo;
pub mod ids;
pub mod org;
pub mod people;
pub mod schedule;
pub mod time;
pub mod validation;

pub use care::{
    FunctionAssessment, Grant, GrantedHours, LegalBasis, Recurrence, RecurringVisit,
    ServiceCategory, Visit, VisitStatus,
};
pub use dataset::Dataset;
pub use geo::GeoPoint;
pub use ids::{
    AbsenceId, CitizenId, DistrictId, EmployeeId, GrantId, OrganisationId, RecurringVisitId,
    ShiftId, TeamId, TimeRegistrationId, VisitId,
};
pub use org::{District, Organisation, Team};
pub use people::{
    Citizen, Contact, Employee, Profession, Qualification, StaffPreference, TravelMode,
};
pub use schedule::{Absence, AbsenceKind, Shift, TimeRegistration, TimeRegistrationKind};
pub use time::{Weekday, Weekdays, TIME_ZONE};
pub use validation::{FieldError, Validate};
