//! A generated demo district modelled on Vojens in Haderslev municipality.
//!
//! [`generate`] builds a whole [`Dataset`]: Haderslev Kommune, its districts and
//! teams, staff with a believable mix of professions and contracts, citizens on
//! plausible coordinates in Vojens and the villages around it, each with grants, a
//! daily-rhythm base plan, and the dated visits, shifts and absences of the demo
//! period. The same [`DemoConfig`] always gives the same dataset (ChaCha8 seeded from
//! `seed`).
//!
//! Scale (figures from the domain brief, Haderslev's Vojens district): about 70
//! citizens per team ([`CITIZENS_PER_TEAM`]) and 0.28 staff per citizen
//! ([`STAFF_PER_CITIZEN`]); 352 citizens give 5 teams and ~100 staff, all in Vojens
//! district within 15 km of Vojens. More citizens fill Gram district next and then
//! Haderslev's four town districts (1,400 citizens: 20 teams in 6 districts).

mod assign;
mod figures;
mod places;
mod rhythm;
mod rota;

pub use assign::{assign_by_continuity, AssignReport};
pub use figures::{figures, DemoFigures};
pub use rhythm::MAX_VISITS_PER_DAY;
pub use rota::VISIT_MINUTES_PER_SHIFT;

use jiff::civil::Date;
use jiff::ToSpan;
use nabo_domain::{
    Citizen, CitizenId, Contact, Dataset, District, DistrictId, Employee, EmployeeId, GeoPoint,
    Grant, GrantId, GrantedHours, LegalBasis, Organisation, OrganisationId, Profession,
    Qualification, RecurringVisit, RecurringVisitId, Team, TeamId, TravelMode, Visit, VisitId,
    VisitStatus, Weekdays,
};
use places::{DistrictSpec, Place, DISTRICTS};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rhythm::{Need, PlanInput};
use rota::Demand;
use std::collections::BTreeMap;

pub use places::VOJENS;

type Rng = ChaCha8Rng;

/// Citizens per team: Vojens has 352 citizens in 5 teams.
pub const CITIZENS_PER_TEAM: f64 = 70.4;
/// Staff per citizen: Vojens has ~100 staff for 352 citizens.
pub const STAFF_PER_CITIZEN: f64 = 0.28;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// Number of citizens (352 is the Vojens district; ~1,400 all of Haderslev).
    pub citizens: usize,
    /// The same seed gives the same dataset.
    pub seed: u64,
    /// First day of the demo period; normally a Monday.
    pub start: Date,
    /// Length of the period with dated visits, shifts and absences.
    pub days: u32,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            citizens: 352,
            seed: 6500,
            start: Date::constant(2026, 11, 30),
            days: 14,
        }
    }
}

impl DemoConfig {
    /// The default demo for the week containing `today` (starting that week's Monday).
    pub fn for_week_of(today: Date) -> Self {
        Self {
            start: monday_of(today),
            ..Self::default()
        }
    }
}

/// `date` moved by `days`, saturating at the ends of the calendar.
pub(crate) fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(days.days())
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// The Monday of `date`'s week.
pub fn monday_of(date: Date) -> Date {
    add_days(date, -i64::from(date.weekday().to_monday_zero_offset()))
}

pub(crate) fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// How a staff member's shifts are laid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StaffRole {
    Day,
    Evening,
    Night,
    Therapist,
}

/// Generates the demo dataset. Generation itself takes well under a second for
/// 1,400 citizens.
pub fn generate(config: &DemoConfig) -> Dataset {
    let mut rng = Rng::seed_from_u64(config.seed);
    let days = config.days.max(1);
    let first = config.start;
    let last = add_days(first, i64::from(days) - 1);
    let mut ds = Dataset {
        format: nabo_domain::dataset::DATASET_FORMAT.to_owned(),
        organisations: vec![Organisation {
            id: OrganisationId::new("haderslev"),
            name: "Haderslev Kommune".into(),
        }],
        ..Dataset::default()
    };

    // Teams per district, then citizens per team.
    let n_teams = ((config.citizens as f64 / CITIZENS_PER_TEAM).round() as usize).max(1);
    let mut per_district = vec![0usize; DISTRICTS.len()];
    let mut left = n_teams;
    for (i, d) in DISTRICTS.iter().enumerate() {
        let take = left.min(d.teams);
        per_district[i] = take;
        left -= take;
    }
    let mut next = 2;
    while left > 0 {
        per_district[next] += 1;
        left -= 1;
        next = if next + 1 == DISTRICTS.len() {
            2
        } else {
            next + 1
        };
    }
    let team_sizes: Vec<usize> = (0..n_teams)
        .map(|t| config.citizens / n_teams + usize::from(t < config.citizens % n_teams))
        .collect();

    // Places homes, then splits each district into wedges around its centre: a team
    // owns a neighbourhood (part of the town and the villages in that direction).
    let mut team_members: Vec<Vec<Home>> = Vec::new();
    let mut team_index = 0;
    for (spec, &k) in DISTRICTS.iter().zip(&per_district) {
        if k == 0 {
            continue;
        }
        ds.districts.push(District {
            id: DistrictId::new(spec.id),
            organisation_id: ds.organisations[0].id.clone(),
            name: spec.name.into(),
        });
        let sizes = &team_sizes[team_index..team_index + k];
        let mut homes = homes(spec, sizes.iter().sum(), &mut rng);
        homes.sort_by(|a, b| {
            bearing(spec.centre, a.location).total_cmp(&bearing(spec.centre, b.location))
        });
        let mut names: Vec<String> = Vec::new();
        let mut rest = homes.into_iter();
        for (j, &size) in sizes.iter().enumerate() {
            let members: Vec<Home> = rest.by_ref().take(size).collect();
            let mut name = if k == 1 {
                spec.name.to_owned()
            } else {
                format!("{} {}", spec.name, direction(spec.centre, &members))
            };
            if names.contains(&name) {
                name = format!("{name} {}", j + 1);
            }
            names.push(name.clone());
            ds.teams.push(Team {
                id: TeamId::new(format!("{}-{}", spec.id, j + 1)),
                district_id: DistrictId::new(spec.id),
                name: format!("Team {name}"),
                // The teams of a district share a care centre; a few doors apart.
                base: GeoPoint::new(
                    spec.centre.lat + 0.0004 * j as f64,
                    spec.centre.lon + 0.0006 * j as f64,
                ),
            });
            team_members.push(members);
        }
        team_index += k;
    }

    // Staff per team.
    let mut roles: Vec<StaffRole> = Vec::new();
    let mut team_staff: Vec<Vec<usize>> = Vec::new();
    for (t, team) in ds.teams.iter().enumerate() {
        let size = ((team_members[t].len() as f64 * STAFF_PER_CITIZEN).round() as usize).max(4);
        let mut members = Vec::new();
        for (profession, role) in staff_mix(size, t) {
            let i = ds.employees.len();
            ds.employees
                .push(employee(i, profession, role, &team.id, &mut rng));
            roles.push(role);
            members.push(i);
        }
        team_staff.push(members);
    }

    // Citizens, their grants and base plans.
    let mut demand: Vec<Vec<Demand>> = vec![vec![Demand::default(); days as usize]; ds.teams.len()];
    for (t, homes) in team_members.iter().enumerate() {
        let team = ds.teams[t].clone();
        let therapist = team_staff[t]
            .iter()
            .copied()
            .enumerate()
            .find(|(_, i)| ds.employees[*i].profession.is_therapist());
        let therapy = therapist.map_or(Qualification::Physiotherapy, |(_, i)| {
            ds.employees[i].profession.qualification()
        });
        let therapy_days = therapist.map_or(Weekdays::WORKDAYS, |(place, i)| {
            rota::therapist_weekdays(ds.employees[i].contract_hours, t + place)
        });
        let carers: Vec<EmployeeId> = team_staff[t]
            .iter()
            .filter(|&&i| roles[i] != StaffRole::Therapist && roles[i] != StaffRole::Night)
            .map(|&i| ds.employees[i].id.clone())
            .collect();
        let first_citizen = ds.citizens.len();
        let needs = Need::deck(homes.len(), &mut rng);
        for (home, &(need, hoist)) in homes.iter().zip(&needs) {
            let n = ds.citizens.len() + 1;
            let id = CitizenId::new(format!("c{n:04}"));
            let mut citizen = Citizen {
                id: id.clone(),
                name: home.name.clone(),
                address: home.address.clone(),
                location: home.location,
                team_id: team.id.clone(),
                key_information: String::new(),
                contacts: Vec::new(),
                preferred_staff: Vec::new(),
                refused_staff: Vec::new(),
            };
            let since = add_days(first, -rng.random_range(20..1500_i64));
            let plan = rhythm::plan(
                &PlanInput {
                    need,
                    hoist,
                    since,
                    period: (first, last),
                    therapy,
                    therapy_days,
                },
                &mut rng,
            );
            details(&mut citizen, home, plan.hoist, &carers, &mut rng);
            if home.with_previous && ds.citizens.len() > first_citizen {
                if let Some(partner) = ds.citizens.last_mut() {
                    if partner.address == citizen.address {
                        let (pname, cname) = (partner.name.clone(), citizen.name.clone());
                        // Their spouse is each other, not someone drawn at random.
                        partner.contacts.retain(|k| k.relation != "ægtefælle");
                        citizen.contacts.retain(|k| k.relation != "ægtefælle");
                        partner.contacts.insert(0, spouse_contact(&cname));
                        citizen.contacts.insert(0, spouse_contact(&pname));
                    }
                }
            }
            // Grants: one per legal basis, hours per category from the plan.
            let mut by_basis: BTreeMap<&'static str, (LegalBasis, BTreeMap<_, f64>)> =
                BTreeMap::new();
            for d in &plan.drafts {
                let entry = by_basis
                    .entry(basis_key(d.basis))
                    .or_insert_with(|| (d.basis, BTreeMap::new()));
                *entry.1.entry(d.category).or_insert(0.0) += d.weekly_staff_minutes();
            }
            let mut grant_ids = BTreeMap::new();
            for (key, (basis, minutes)) in by_basis {
                let gid = GrantId::new(format!("g{n:04}-{key}"));
                let hours = minutes
                    .into_iter()
                    .map(|(category, m)| {
                        // The visitator's figure, within ±10 % of the plan, in quarters.
                        let granted = m / 60.0 * rng.random_range(0.95..1.10);
                        GrantedHours {
                            category,
                            hours_per_week: ((granted * 4.0).round() / 4.0).max(0.25),
                        }
                    })
                    .collect();
                let (valid_from, valid_to, assessment) = match basis {
                    LegalBasis::Sel83a => {
                        let (from, to) = plan.course.unwrap_or((since, last));
                        (from, Some(to), rhythm::assessment(Need::Moderate, &mut rng))
                    }
                    LegalBasis::Sel83 => (since, None, rhythm::assessment(need, &mut rng)),
                    LegalBasis::Sul138 => (since, None, Vec::new()),
                };
                ds.grants.push(Grant {
                    id: gid.clone(),
                    citizen_id: id.clone(),
                    granted_by: pick(&mut rng, VISITATORS).to_string(),
                    legal_basis: basis,
                    valid_from,
                    valid_to,
                    hours,
                    function_assessment: assessment,
                });
                grant_ids.insert(key, gid);
            }
            for (k, d) in plan.drafts.into_iter().enumerate() {
                let rv = RecurringVisit {
                    id: RecurringVisitId::new(format!("rv{n:04}-{:02}", k + 1)),
                    citizen_id: id.clone(),
                    recurrence: nabo_domain::Recurrence {
                        weekdays: d.weekdays,
                        every_nth_week: d.every_nth_week,
                        starts_on: d.starts_on,
                        ends_on: d.ends_on,
                    },
                    window_start: d.window_start,
                    window_end: d.window_end,
                    fixed_time: d.fixed.is_some(),
                    fixed_time_reason: d.fixed.map(str::to_owned),
                    duration_minutes: d.duration,
                    required_qualification: d.qualification,
                    staff_count: d.staff_count,
                    tasks: d.tasks,
                    grant_id: grant_ids.get(basis_key(d.basis)).cloned(),
                };
                let therapy_visit = rv.required_qualification.care_level().is_none();
                for day in 0..days {
                    let date = add_days(first, i64::from(day));
                    if !rv.recurrence.occurs_on(date) {
                        continue;
                    }
                    if !therapy_visit {
                        let minutes = rv.duration_minutes * u32::from(rv.staff_count);
                        let slot = &mut demand[t][day as usize];
                        if rv.window_start.hour() < 15 {
                            slot.day += minutes;
                            if rv.window_end <= rota::MORNING_RUSH_ENDS {
                                slot.morning += minutes;
                            }
                        } else {
                            slot.evening += minutes;
                        }
                    }
                    let vid =
                        VisitId::new(format!("v{n:04}-{:02}-{}", k + 1, date.strftime("%Y%m%d")));
                    ds.visits.push(Visit::from_recurring(vid, &rv, date));
                }
                ds.recurring_visits.push(rv);
            }
            ds.citizens.push(citizen);
        }
    }

    // Absences, then shifts around them.
    let (absences, calendar) = rota::absences(&ds.employees, first, last, &mut rng);
    let mut short = 0;
    ds.absences = absences;
    for (t, members) in team_staff.iter().enumerate() {
        let (shifts, uncovered) = rota::team_shifts(
            &ds.employees,
            &roles,
            t,
            members,
            &demand[t],
            first,
            &calendar,
            true,
        );
        if uncovered > 0 {
            // The team would ring in on-call staff; the demo leaves the gap visible.
            tracing::debug!(team = %ds.teams[t].id, uncovered, "demo shifts short of the visits");
        }
        short += uncovered;
        ds.shifts.extend(shifts);
    }
    tracing::info!(short, "demo shifts generated");
    ds.visits
        .sort_by(|a, b| (a.date, a.window_start, &a.id).cmp(&(b.date, b.window_start, &b.id)));
    debug_assert!(ds.visits.iter().all(|v| v.status == VisitStatus::Planned));
    ds
}

const VISITATORS: &[&str] = &[
    "Lene Mikkelsen, visitator",
    "Bodil Frandsen, visitator",
    "Jette Schmidt, visitator",
    "Torben Hald, visitator",
];

fn basis_key(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Sel83 => "sel83",
        LegalBasis::Sel83a => "sel83a",
        LegalBasis::Sul138 => "sul138",
    }
}

/// A citizen's home before the citizen gets an id.
struct Home {
    name: String,
    address: String,
    location: GeoPoint,
    /// Lives with the home generated just before (a couple who both get help).
    with_previous: bool,
    surname: &'static str,
}

fn homes(spec: &DistrictSpec, count: usize, rng: &mut Rng) -> Vec<Home> {
    let total: f64 = spec.places.iter().map(|p| p.weight).sum();
    let mut out: Vec<Home> = Vec::with_capacity(count);
    while out.len() < count {
        // Some citizens live with a spouse who also receives help (~6 %).
        if let Some(prev) = out.last() {
            if !prev.with_previous && rng.random_bool(0.06) {
                let woman = rng.random_bool(0.5);
                let first = pick(
                    rng,
                    if woman {
                        places::OLD_WOMEN
                    } else {
                        places::OLD_MEN
                    },
                );
                let home = Home {
                    name: format!("{first} {}", prev.surname),
                    address: prev.address.clone(),
                    location: prev.location,
                    with_previous: true,
                    surname: prev.surname,
                };
                out.push(home);
                continue;
            }
        }
        let mut x = rng.random_range(0.0..total);
        let place = spec
            .places
            .iter()
            .find(|p| {
                x -= p.weight;
                x < 0.0
            })
            .unwrap_or(&spec.places[0]);
        let woman = rng.random_bool(0.65);
        let first = pick(
            rng,
            if woman {
                places::OLD_WOMEN
            } else {
                places::OLD_MEN
            },
        );
        let surname = *pick(rng, places::SURNAMES);
        out.push(Home {
            name: format!("{first} {surname}"),
            address: address(place, rng),
            location: scatter(place.centre, place.radius_km, rng),
            with_previous: false,
            surname,
        });
    }
    // Spouses share a location, so the (stable) bearing sort keeps them together.
    out
}

fn address(place: &Place, rng: &mut Rng) -> String {
    let street = pick(rng, place.streets);
    let town = place.streets.len() > 12;
    let number = rng.random_range(1..=if town { 80 } else { 40 });
    let flat = if town && rng.random_bool(0.2) {
        format!(
            ", {}. {}",
            rng.random_range(1..=3),
            pick(rng, &["tv.", "th.", "mf."])
        )
    } else {
        String::new()
    };
    if place.post.ends_with(place.name) {
        format!("{street} {number}{flat}, {}", place.post)
    } else {
        format!("{street} {number}{flat}, {}, {}", place.name, place.post)
    }
}

/// A point uniformly in a disc of `radius_km` around `centre`.
fn scatter(centre: GeoPoint, radius_km: f64, rng: &mut Rng) -> GeoPoint {
    let r = radius_km * rng.random_range(0.0_f64..1.0).sqrt();
    let a = rng.random_range(0.0..std::f64::consts::TAU);
    let north_km = r * a.cos();
    let east_km = r * a.sin();
    let lat = centre.lat + north_km / 111.32;
    let lon = centre.lon + east_km / (111.32 * centre.lat.to_radians().cos());
    // Five decimals (~1 m), as addresses are geocoded.
    GeoPoint::new((lat * 1e5).round() / 1e5, (lon * 1e5).round() / 1e5)
}

/// Compass bearing (radians, clockwise from north) from `from` to `to`.
fn bearing(from: GeoPoint, to: GeoPoint) -> f64 {
    let north = to.lat - from.lat;
    let east = (to.lon - from.lon) * from.lat.to_radians().cos();
    east.atan2(north)
}

/// The Danish compass direction a group of homes lies in, seen from `centre`.
fn direction(centre: GeoPoint, homes: &[Home]) -> &'static str {
    let (mut n, mut e) = (0.0, 0.0);
    for h in homes {
        let b = bearing(centre, h.location);
        n += b.cos();
        e += b.sin();
    }
    let angle = e.atan2(n).to_degrees().rem_euclid(360.0);
    const NAMES: [&str; 8] = [
        "Nord", "Nordøst", "Øst", "Sydøst", "Syd", "Sydvest", "Vest", "Nordvest",
    ];
    NAMES[((angle + 22.5) / 45.0) as usize % 8]
}

/// The professions and shift roles of a team of `size`: ~12 % nurses, a therapist
/// (occupational and physio in turn), ~25 % care assistants, ~12 % unskilled, the
/// rest care helpers; a third of the care staff work evenings and one works nights.
fn staff_mix(size: usize, team: usize) -> Vec<(Profession, StaffRole)> {
    let share = |f: f64| (size as f64 * f).round() as usize;
    let nurses = share(0.12).max(1);
    let therapists = share(0.05).max(1);
    let ssa = share(0.25).max(1);
    let unskilled = share(0.12);
    let ssh = size
        .saturating_sub(nurses + therapists + ssa + unskilled)
        .max(1);
    let mut out = Vec::with_capacity(size);
    for k in 0..therapists {
        let p = if (team + k).is_multiple_of(2) {
            Profession::Physiotherapist
        } else {
            Profession::OccupationalTherapist
        };
        out.push((p, StaffRole::Therapist));
    }
    for _ in 0..nurses {
        out.push((Profession::Nurse, StaffRole::Day));
    }
    let care: Vec<Profession> = std::iter::repeat_n(Profession::CareAssistant, ssa)
        .chain(std::iter::repeat_n(Profession::CareHelper, ssh))
        .chain(std::iter::repeat_n(Profession::Unskilled, unskilled))
        .collect();
    let evening_every = 3;
    for (k, p) in care.into_iter().enumerate() {
        let role = if k == 1 && size >= 8 {
            StaffRole::Night
        } else if k % evening_every == 2 {
            StaffRole::Evening
        } else {
            StaffRole::Day
        };
        out.push((p, role));
    }
    out
}

fn phone(rng: &mut Rng) -> String {
    format!(
        "+45 {} {:02} {:02} {:02}",
        rng.random_range(20..=61),
        rng.random_range(0..100),
        rng.random_range(0..100),
        rng.random_range(0..100)
    )
}

fn employee(
    index: usize,
    profession: Profession,
    role: StaffRole,
    team: &TeamId,
    rng: &mut Rng,
) -> Employee {
    let woman = rng.random_bool(0.88);
    let first = pick(
        rng,
        if woman {
            places::YOUNG_WOMEN
        } else {
            places::YOUNG_MEN
        },
    );
    let surname = pick(rng, places::SURNAMES);
    let hours: &[f64] = match (profession, role) {
        (_, StaffRole::Night) => &[28.0, 30.0, 32.0],
        (_, StaffRole::Evening) => &[25.0, 28.0, 30.0, 32.0],
        (Profession::Unskilled, _) => &[15.0, 20.0, 25.0, 30.0],
        (Profession::CareHelper, _) => &[25.0, 28.0, 30.0, 32.0, 37.0],
        _ => &[30.0, 32.0, 37.0, 37.0],
    };
    let travel_mode = if role == StaffRole::Day && profession != Profession::Nurse {
        match rng.random_range(0..100) {
            0..12 => TravelMode::EBike,
            12..20 => TravelMode::Bike,
            20..23 => TravelMode::Foot,
            _ => TravelMode::Car,
        }
    } else {
        TravelMode::Car
    };
    let extra_qualifications = if profession == Profession::CareHelper && rng.random_bool(0.15) {
        // Trained for delegated tasks at assistant level (insulin, eye drops).
        vec![Qualification::CareAssistant]
    } else {
        Vec::new()
    };
    Employee {
        id: EmployeeId::new(format!("e{:04}", index + 1)),
        name: format!("{first} {surname}"),
        profession,
        extra_qualifications,
        home_team: team.clone(),
        contract_hours: *pick(rng, hours),
        phone: Some(phone(rng)),
        travel_mode,
    }
}

fn citizen_is_woman(home: &Home) -> bool {
    let first = home.name.split(' ').next().unwrap_or("");
    places::OLD_WOMEN.contains(&first)
}

fn spouse_contact(name: &str) -> Contact {
    Contact {
        name: name.to_owned(),
        relation: "ægtefælle (også borger)".into(),
        phone: None,
    }
}

/// Key information, relatives and staff wishes.
fn details(citizen: &mut Citizen, home: &Home, hoist: bool, carers: &[EmployeeId], rng: &mut Rng) {
    let mut key = vec![*pick(rng, places::KEY_INFORMATION)];
    if hoist {
        key.push("Loftlift i soveværelset: altid to personer ved forflytning.");
    }
    if rng.random_bool(0.3) {
        key.push(*pick(rng, places::KEY_INFORMATION));
    }
    key.dedup();
    citizen.key_information = key.join(" ");
    let relatives = match rng.random_range(0..100) {
        0..15 => 0,
        15..70 => 1,
        _ => 2,
    };
    for _ in 0..relatives {
        let mut relation = *pick(rng, places::RELATIONS);
        if citizen.contacts.iter().any(|k| k.relation == relation) {
            relation = "datter";
        }
        // Daughters are women, sons men, a spouse of the citizen's own generation.
        let names = match relation {
            "datter" | "svigerdatter" => places::YOUNG_WOMEN,
            "søn" => places::YOUNG_MEN,
            "ægtefælle" if citizen_is_woman(home) => places::OLD_MEN,
            "ægtefælle" => places::OLD_WOMEN,
            _ if rng.random_bool(0.55) => places::YOUNG_WOMEN,
            _ => places::YOUNG_MEN,
        };
        let first = pick(rng, names);
        let surname = if matches!(relation, "søn" | "barnebarn" | "ægtefælle") {
            home.surname
        } else {
            pick(rng, places::SURNAMES)
        };
        citizen.contacts.push(Contact {
            name: format!("{first} {surname}"),
            relation: relation.into(),
            phone: Some(phone(rng)),
        });
    }
    if !carers.is_empty() {
        if rng.random_bool(0.10) {
            let a = pick(rng, carers).clone();
            citizen.preferred_staff.push(a.clone());
            let b = pick(rng, carers).clone();
            if b != a && rng.random_bool(0.5) {
                citizen.preferred_staff.push(b);
            }
        }
        if rng.random_bool(0.03) {
            let r = pick(rng, carers).clone();
            if !citizen.preferred_staff.contains(&r) {
                citizen.refused_staff.push(r);
            }
        }
    }
}
