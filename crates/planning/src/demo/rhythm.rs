//! Daily-rhythm plans (*døgnrytmeplaner*): which visits a citizen of a given care need
//! gets, and the grants those visits draw on.
//!
//! Durations follow what the Danish reports describe ("only 13 minutes", 10-minute
//! visits): short medicine and supervision visits, 20–30 minute morning care, a longer
//! bath once a week, practical help every other week. The mix of care needs is tuned so
//! that a team of ~70 citizens needs about as many staff hours as ~20 staff provide at
//! ~62 % citizen time (the Vojens figures: 352 citizens, ~100 staff).

use super::{add_days, monday_of, pick, Rng};
use jiff::civil::{Date, Time};
use nabo_domain::{
    FunctionAssessment, LegalBasis, Qualification, ServiceCategory, Weekday, Weekdays,
};
use rand::seq::SliceRandom;
use rand::RngExt;

/// Most visits one citizen gets on one day (the brief: 1–6).
pub const MAX_VISITS_PER_DAY: usize = 6;

/// A recurring visit before it gets ids.
#[derive(Debug, Clone)]
pub struct Draft {
    pub weekdays: Weekdays,
    pub every_nth_week: u8,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub window_start: Time,
    pub window_end: Time,
    pub fixed: Option<&'static str>,
    pub duration: u32,
    pub qualification: Qualification,
    pub staff_count: u8,
    pub tasks: String,
    pub basis: LegalBasis,
    pub category: ServiceCategory,
}

impl Draft {
    /// Staff minutes per week this visit takes, averaged over its n-week cycle.
    pub fn weekly_staff_minutes(&self) -> f64 {
        f64::from(self.duration) * f64::from(self.staff_count) * self.weekdays.len() as f64
            / f64::from(self.every_nth_week.max(1))
    }

    fn occurs_on(&self, date: Date) -> bool {
        nabo_domain::Recurrence {
            weekdays: self.weekdays,
            every_nth_week: self.every_nth_week,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        }
        .occurs_on(date)
    }
}

/// The care need of a citizen, from light (one short visit a day) to heavy (five or six
/// visits, some needing two staff for a hoist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Light,
    Moderate,
    Substantial,
    Heavy,
}

impl Need {
    /// The needs of `n` citizens in a team, shuffled: 42 % light, 32 % moderate, 18 %
    /// substantial, 8 % heavy, every other heavy one with a hoist (two staff). Exact
    /// shares per team keep the figures steady from seed to seed.
    pub fn deck(n: usize, rng: &mut Rng) -> Vec<(Need, bool)> {
        let count = |share: f64| (n as f64 * share).round() as usize;
        let (light, moderate, substantial) = (count(0.42), count(0.32), count(0.18));
        let mut deck: Vec<(Need, bool)> = Vec::with_capacity(n);
        deck.extend(std::iter::repeat_n((Need::Light, false), light));
        deck.extend(std::iter::repeat_n((Need::Moderate, false), moderate));
        deck.extend(std::iter::repeat_n((Need::Substantial, false), substantial));
        let mut k = 0;
        while deck.len() < n {
            deck.push((Need::Heavy, k % 2 == 1));
            k += 1;
        }
        deck.truncate(n);
        deck.shuffle(rng);
        deck
    }

    fn level(self) -> i32 {
        match self {
            Need::Light => 1,
            Need::Moderate => 2,
            Need::Substantial => 3,
            Need::Heavy => 4,
        }
    }
}

fn t(h: i8, m: i8) -> Time {
    Time::constant(h, m, 0, 0)
}

/// Everything the generator needs to know to write a citizen's plan.
pub struct PlanInput {
    pub need: Need,
    /// Transfers need two staff and a hoist (only for heavy needs).
    pub hoist: bool,
    /// When the citizen's §83 help began; the base plan's weeks count from here.
    pub since: Date,
    /// First and last day of the demo period.
    pub period: (Date, Date),
    /// The therapy qualification of the team's therapist (§83a courses need it).
    pub therapy: Qualification,
    /// The weekdays that therapist works, which the courses must fall on.
    pub therapy_days: Weekdays,
}

struct Plan<'a> {
    drafts: Vec<Draft>,
    input: &'a PlanInput,
}

impl Plan<'_> {
    #[allow(clippy::too_many_arguments)]
    fn daily(
        &mut self,
        days: Weekdays,
        window: (Time, Time),
        fixed: Option<&'static str>,
        duration: u32,
        qualification: Qualification,
        staff_count: u8,
        tasks: &str,
        basis: LegalBasis,
        category: ServiceCategory,
    ) {
        self.drafts.push(Draft {
            weekdays: days,
            every_nth_week: 1,
            starts_on: self.input.since,
            ends_on: None,
            window_start: window.0,
            window_end: window.1,
            fixed,
            duration,
            qualification,
            staff_count,
            tasks: tasks.to_owned(),
            basis,
            category,
        });
    }

    /// Adds a visit that is not part of every day (practical help, nursing, training)
    /// on those of its days where the citizen still has room under the daily maximum.
    fn extra(&mut self, mut draft: Draft) {
        let (first, last) = self.input.period;
        let mut day = first;
        while day <= last {
            if draft.occurs_on(day) {
                let count = self.drafts.iter().filter(|d| d.occurs_on(day)).count();
                if count >= MAX_VISITS_PER_DAY {
                    let weekday = Weekday::of(day);
                    draft.weekdays = draft.weekdays.iter().filter(|w| *w != weekday).collect();
                }
            }
            day = add_days(day, 1);
        }
        if !draft.weekdays.is_empty() {
            self.drafts.push(draft);
        }
    }
}

fn days(list: &[Weekday]) -> Weekdays {
    list.iter().copied().collect()
}

fn except(day: Weekday) -> Weekdays {
    Weekday::ALL.into_iter().filter(|d| *d != day).collect()
}

const SEL83: LegalBasis = LegalBasis::Sel83;
const SUL138: LegalBasis = LegalBasis::Sul138;
use Qualification::{CareAssistant as SSA, CareHelper as SSH, Nurse};
use ServiceCategory::{Meals, Nursing, PersonalCare, PracticalHelp, Rehabilitation};

/// When time-critical morning medicine is given; spread over the morning as the
/// prescriptions are (a team cannot be in thirty homes at 08:00).
const MEDICINE_TIMES: &[(i8, i8)] = &[(7, 30), (8, 0), (8, 0), (8, 30), (9, 0)];

/// A fixed medicine time, its 15-minute window and how the task list says it.
fn medicine_time(rng: &mut Rng, times: &[(i8, i8)]) -> ((Time, Time), String) {
    let (h, m) = *pick(rng, times);
    let end = if m == 45 { t(h + 1, 0) } else { t(h, m + 15) };
    ((t(h, m), end), format!("kl. {h}.{m:02}"))
}

/// Morning care, with a longer bath on one weekday; medicine at a fixed time when the
/// citizen takes medicine that must be given on time, else any start up to `latest`.
fn morning_care(
    plan: &mut Plan,
    rng: &mut Rng,
    minutes: u32,
    staff: u8,
    medicine: bool,
    latest: Time,
) {
    let bath_day = *pick(
        rng,
        &[Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
    );
    let lift = if staff == 2 {
        ", forflytning med loftlift"
    } else {
        ""
    };
    let (window, fixed, med) = if medicine {
        let (window, at) = medicine_time(rng, MEDICINE_TIMES);
        (window, Some("medicin"), format!(", medicingivning {at}"))
    } else {
        ((t(7, 0), latest), None, String::new())
    };
    plan.daily(
        except(bath_day),
        window,
        fixed,
        minutes,
        SSH,
        staff,
        &format!("Morgenpleje: nedre/øvre toilette, påklædning, morgenmad{med}{lift}"),
        SEL83,
        PersonalCare,
    );
    plan.daily(
        days(&[bath_day]),
        window,
        fixed,
        minutes + 15,
        SSH,
        staff,
        &format!("Morgenpleje med bad, hårvask og hudpleje{med}{lift}"),
        SEL83,
        PersonalCare,
    );
}

/// Practical help (cleaning, laundry) every other week on a weekday.
fn practical_help(plan: &mut Plan, rng: &mut Rng) {
    let day = *pick(rng, &Weekday::ALL[..5]);
    let start = plan.input.since;
    let minutes = *pick(rng, &[45, 60]);
    plan.extra(Draft {
        weekdays: days(&[day]),
        every_nth_week: 2,
        starts_on: start,
        ends_on: None,
        window_start: t(10, 0),
        window_end: t(14, 30),
        fixed: None,
        duration: minutes,
        qualification: Qualification::Unskilled,
        staff_count: 1,
        tasks: "Praktisk hjælp: rengøring af stue, køkken og bad, skift af sengetøj".into(),
        basis: SEL83,
        category: PracticalHelp,
    });
}

fn nursing(plan: &mut Plan, rng: &mut Rng) {
    let since = plan.input.since;
    let weekly = |day: Weekday, window: (Time, Time), minutes, q, tasks: &str| Draft {
        weekdays: days(&[day]),
        every_nth_week: 1,
        starts_on: since,
        ends_on: None,
        window_start: window.0,
        window_end: window.1,
        fixed: None,
        duration: minutes,
        qualification: q,
        staff_count: 1,
        tasks: tasks.to_owned(),
        basis: SUL138,
        category: Nursing,
    };
    if rng.random_bool(0.25) {
        let day = *pick(rng, &Weekday::ALL[..5]);
        plan.extra(weekly(
            day,
            (t(10, 30), t(14, 30)),
            15,
            SSA,
            "Medicindosering for en uge, kontrol af doseringsæsker",
        ));
    }
    if rng.random_bool(0.10) {
        let (list, q): (&[Weekday], _) = if rng.random_bool(0.5) {
            (&[Weekday::Mon, Weekday::Thu], Nurse)
        } else {
            (&[Weekday::Mon, Weekday::Wed, Weekday::Fri], SSA)
        };
        let mut d = weekly(
            Weekday::Mon,
            (t(10, 30), t(14, 0)),
            20,
            q,
            "Sårpleje: skift af forbinding på underben, observation af sår",
        );
        d.weekdays = days(list);
        plan.extra(d);
    }
    if rng.random_bool(0.05) {
        let day = *pick(rng, &Weekday::ALL[..5]);
        plan.extra(weekly(
            day,
            (t(11, 0), t(14, 30)),
            20,
            Nurse,
            "Kateterpleje og skift af urinpose",
        ));
    }
    if rng.random_bool(0.06) {
        // Insulin before breakfast, at the time the citizen eats; not at 07:00, when the
        // day staff only leave the office.
        let (window, at) = medicine_time(rng, &[(7, 30), (7, 45), (8, 0), (8, 30), (9, 0)]);
        let mut d = weekly(
            Weekday::Mon,
            window,
            10,
            SSA,
            &format!("Måling af blodsukker og insulininjektion {at} før morgenmad"),
        );
        d.weekdays = Weekdays::EVERY_DAY;
        d.fixed = Some("insulin før morgenmad");
        plan.extra(d);
    }
}

/// A time-limited §83a rehabilitation course: training with a therapist two or three
/// times a week for 8–12 weeks, running during the demo period.
fn rehabilitation(plan: &mut Plan, rng: &mut Rng) -> (Date, Date) {
    let (first, _) = plan.input.period;
    let starts = monday_of(add_days(first, -rng.random_range(0..6_i64) * 7));
    let weeks = rng.random_range(8..=12_i64);
    let ends = add_days(starts, weeks * 7 - 3);
    use Weekday::{Fri, Mon, Thu, Tue, Wed};
    // Two or three sessions a week with a day of rest between. A therapist working all
    // five weekdays gets the usual two patterns half and half; one with a day off gets
    // any pattern that avoids it.
    const PATTERNS: [&[Weekday]; 7] = [
        &[Mon, Wed, Fri],
        &[Tue, Thu],
        &[Mon, Thu],
        &[Tue, Fri],
        &[Mon, Wed],
        &[Wed, Fri],
        &[Tue, Thu, Fri],
    ];
    let fits = |p: &&[Weekday]| p.iter().all(|d| plan.input.therapy_days.contains(*d));
    let usual: Vec<&[Weekday]> = PATTERNS[..2].iter().copied().filter(fits).collect();
    let others: Vec<&[Weekday]> = PATTERNS[2..].iter().copied().filter(fits).collect();
    let list: &[Weekday] = if usual.len() == 2 {
        if rng.random_bool(0.5) {
            usual[0]
        } else {
            usual[1]
        }
    } else {
        let choice: Vec<&[Weekday]> = usual.into_iter().chain(others).collect();
        pick::<&[Weekday]>(rng, &choice)
    };
    let therapy = plan.input.therapy;
    let what = if therapy == Qualification::Physiotherapy {
        "Hverdagsrehabilitering: gangtræning med rollator, balance- og styrkeøvelser"
    } else {
        "Hverdagsrehabilitering: træning i selv at klare bad og påklædning"
    };
    plan.extra(Draft {
        weekdays: days(list),
        every_nth_week: 1,
        starts_on: starts,
        ends_on: Some(ends),
        window_start: t(9, 0),
        window_end: t(14, 0),
        fixed: None,
        duration: 45,
        qualification: therapy,
        staff_count: 1,
        tasks: what.into(),
        basis: LegalBasis::Sel83a,
        category: Rehabilitation,
    });
    (starts, ends)
}

/// What a citizen's plan came to.
pub struct CitizenPlan {
    pub drafts: Vec<Draft>,
    /// The §83a course period, if the citizen is in one.
    pub course: Option<(Date, Date)>,
    /// Whether two staff and a hoist are needed for transfers.
    pub hoist: bool,
}

/// Draws a citizen's daily rhythm.
pub fn plan(input: &PlanInput, rng: &mut Rng) -> CitizenPlan {
    let mut plan = Plan {
        drafts: Vec::new(),
        input,
    };
    let every = Weekdays::EVERY_DAY;
    let mut hoist = false;
    match input.need {
        Need::Light => match rng.random_range(0..3) {
            0 => plan.daily(
                every,
                (t(8, 0), t(11, 0)),
                None,
                15,
                SSH,
                1,
                "Morgenhjælp: støttestrømper på, hjælp til morgenmad",
                SEL83,
                PersonalCare,
            ),
            1 => {
                let (window, at) = medicine_time(rng, MEDICINE_TIMES);
                plan.daily(
                    every,
                    window,
                    Some("medicin"),
                    10,
                    SSH,
                    1,
                    &format!("Medicingivning {at} og tilsyn"),
                    SUL138,
                    Nursing,
                );
            }
            _ => {
                let (window, at) = medicine_time(rng, &[(18, 0), (19, 0), (19, 30), (20, 0)]);
                plan.daily(
                    every,
                    window,
                    Some("medicin"),
                    10,
                    SSH,
                    1,
                    &format!("Aftentilsyn og medicingivning {at}"),
                    SUL138,
                    Nursing,
                );
            }
        },
        Need::Moderate => {
            let medicine = rng.random_bool(0.25);
            morning_care(&mut plan, rng, 20, 1, medicine, t(11, 0));
            if rng.random_bool(0.5) {
                plan.daily(
                    every,
                    (t(11, 30), t(13, 0)),
                    None,
                    10,
                    SSH,
                    1,
                    "Anretning af frokost, væske",
                    SEL83,
                    Meals,
                );
            }
            // Many manage the evening themselves or with a spouse.
            if rng.random_bool(0.6) {
                plan.daily(
                    every,
                    (t(18, 0), t(21, 30)),
                    None,
                    10,
                    SSH,
                    1,
                    "Aftenhjælp: støttestrømper af, hjælp med aftentoilette",
                    SEL83,
                    PersonalCare,
                );
            }
        }
        Need::Substantial => {
            let medicine = rng.random_bool(0.4);
            morning_care(&mut plan, rng, 25, 1, medicine, t(10, 30));
            plan.daily(
                every,
                (t(11, 30), t(13, 0)),
                None,
                10,
                SSH,
                1,
                "Anretning af frokost, væskeskema",
                SEL83,
                Meals,
            );
            let (window, fixed, tasks) = if medicine {
                (
                    (t(17, 0), t(17, 15)),
                    Some("medicin"),
                    "Opvarmning af aftensmad, medicingivning kl. 17",
                )
            } else {
                ((t(16, 30), t(18, 30)), None, "Opvarmning af aftensmad")
            };
            plan.daily(every, window, fixed, 10, SSH, 1, tasks, SEL83, Meals);
            plan.daily(
                every,
                (t(19, 0), t(22, 0)),
                None,
                15,
                SSH,
                1,
                "Aftenpleje: toilette, hjælp i seng",
                SEL83,
                PersonalCare,
            );
        }
        Need::Heavy => {
            hoist = input.hoist;
            let staff = if hoist { 2 } else { 1 };
            let medicine = rng.random_bool(0.3);
            morning_care(&mut plan, rng, 30, staff, medicine, t(10, 0));
            plan.daily(
                every,
                (t(11, 30), t(13, 0)),
                None,
                10,
                SSH,
                1,
                "Frokost: anretning og hjælp til at spise",
                SEL83,
                Meals,
            );
            plan.daily(
                every,
                (t(14, 30), t(15, 30)),
                None,
                10,
                SSH,
                1,
                "Toiletbesøg, tilsyn og væske",
                SEL83,
                PersonalCare,
            );
            plan.daily(
                every,
                (t(16, 30), t(18, 30)),
                None,
                10,
                SSH,
                1,
                "Aftensmad: opvarmning og hjælp til at spise",
                SEL83,
                Meals,
            );
            let lift = if hoist {
                ", forflytning med loftlift"
            } else {
                ""
            };
            plan.daily(
                every,
                (t(19, 0), t(21, 0)),
                None,
                20,
                SSH,
                staff,
                &format!("Aftenpleje: toilette, skift af ble, hjælp i seng{lift}"),
                SEL83,
                PersonalCare,
            );
            if rng.random_bool(0.5) {
                plan.daily(
                    every,
                    (t(22, 0), t(22, 45)),
                    None,
                    10,
                    SSH,
                    1,
                    "Vending og toiletbesøg",
                    SEL83,
                    PersonalCare,
                );
            }
        }
    }
    let help_share = match input.need {
        Need::Light => 0.7,
        Need::Moderate => 0.6,
        Need::Substantial | Need::Heavy => 0.5,
    };
    if rng.random_bool(help_share) {
        practical_help(&mut plan, rng);
    }
    nursing(&mut plan, rng);
    let course = if matches!(input.need, Need::Light | Need::Moderate) && rng.random_bool(0.14) {
        Some(rehabilitation(&mut plan, rng))
    } else {
        None
    };
    CitizenPlan {
        drafts: plan.drafts,
        course,
        hoist,
    }
}

const FSIII_AREAS: &[&str] = &[
    "Vaske sig",
    "Af- og påklædning",
    "Spise",
    "Forflytte sig",
    "Bevæge sig omkring",
    "Lave mad",
    "Udføre almindeligt rengøringsarbejde",
    "Hukommelse",
];

/// A function assessment on the Fællessprog III scale matching the care need.
pub fn assessment(need: Need, rng: &mut Rng) -> Vec<FunctionAssessment> {
    FSIII_AREAS
        .iter()
        .map(|area| {
            let noise = rng.random_range(-1..=1);
            let score = (need.level() - 1 + noise).clamp(0, 4);
            FunctionAssessment {
                area: (*area).to_owned(),
                score: u8::try_from(score).unwrap_or(0),
            }
        })
        .collect()
}
