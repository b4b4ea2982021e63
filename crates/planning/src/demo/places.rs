//! The geography and the names the demo district is drawn from.
//!
//! Coordinates are approximate town and village centres (WGS84, from general map
//! knowledge, rounded to about 100 m), good enough for plausible travel times, not for
//! navigation. Addresses are made of street names common in Danish towns and villages;
//! any match with a real person at a real address is a coincidence.

use nabo_domain::GeoPoint;

/// The centre of Vojens, the point the demo district is modelled around.
pub const VOJENS: GeoPoint = GeoPoint {
    lat: 55.2466,
    lon: 9.3066,
};

/// A town or village citizens live in.
pub struct Place {
    pub name: &'static str,
    /// Postcode and post town as written on a Danish address.
    pub post: &'static str,
    pub centre: GeoPoint,
    /// Radius (km) within which homes are scattered around the centre.
    pub radius_km: f64,
    /// Relative share of the district's citizens living here.
    pub weight: f64,
    pub streets: &'static [&'static str],
}

/// One of Haderslev municipality's six home-care districts.
pub struct DistrictSpec {
    pub id: &'static str,
    pub name: &'static str,
    /// Where the district's teams have their base (a care centre in the main town).
    pub centre: GeoPoint,
    /// How many teams the district has in the real organisation; teams beyond all
    /// districts' sizes go to the Haderslev town districts in turn.
    pub teams: usize,
    pub places: &'static [Place],
}

const TOWN_STREETS: &[&str] = &[
    "Vestergade",
    "Østergade",
    "Søndergade",
    "Nørregade",
    "Jernbanegade",
    "Stationsvej",
    "Skolevej",
    "Kirkevej",
    "Møllevej",
    "Engvej",
    "Birkevej",
    "Egevej",
    "Bøgevej",
    "Ahornvej",
    "Rosenvej",
    "Lærkevej",
    "Solsikkevej",
    "Kastanievej",
    "Vænget",
    "Parkvej",
    "Tværgade",
    "Fasanvej",
    "Lindevej",
    "Grønnegade",
];

const VILLAGE_STREETS: &[&str] = &[
    "Bygaden",
    "Hovedgaden",
    "Skolevej",
    "Kirkevej",
    "Møllevej",
    "Engvej",
    "Toftevej",
    "Præstevej",
    "Mejerivej",
    "Nørremarken",
    "Søndermarken",
];

const fn p(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint { lat, lon }
}

/// Vojens district: the town and the villages around it, all within 15 km of Vojens.
/// Toftlund is left out on purpose: it lies in Tønder municipality, ~16 km away.
const VOJENS_PLACES: &[Place] = &[
    Place {
        name: "Vojens",
        post: "6500 Vojens",
        centre: VOJENS,
        radius_km: 1.6,
        weight: 62.0,
        streets: TOWN_STREETS,
    },
    Place {
        name: "Jegerup",
        post: "6500 Vojens",
        centre: p(55.2160, 9.3330),
        radius_km: 0.6,
        weight: 5.0,
        streets: VILLAGE_STREETS,
    },
    Place {
        name: "Hammelev",
        post: "6500 Vojens",
        centre: p(55.2625, 9.3880),
        radius_km: 0.6,
        weight: 5.0,
        streets: VILLAGE_STREETS,
    },
    Place {
        name: "Skrydstrup",
        post: "6500 Vojens",
        centre: p(55.2280, 9.2620),
        radius_km: 0.6,
        weight: 5.0,
        streets: VILLAGE_STREETS,
    },
    Place {
        name: "Maugstrup",
        post: "6500 Vojens",
        centre: p(55.2215, 9.3680),
        radius_km: 0.5,
        weight: 3.0,
        streets: VILLAGE_STREETS,
    },
    Place {
        name: "Over Jerstal",
        post: "6500 Vojens",
        centre: p(55.1830, 9.3400),
        radius_km: 0.6,
        weight: 4.0,
        streets: VILLAGE_STREETS,
    },
    Place {
        name: "Sommersted",
        post: "6560 Sommersted",
        centre: p(55.3160, 9.2950),
        radius_km: 0.7,
        weight: 7.0,
        streets: VILLAGE_STREETS,
    },
    Place {
        name: "Oksenvad",
        post: "6560 Sommersted",
        centre: p(55.2850, 9.2150),
        radius_km: 0.5,
        weight: 3.0,
        streets: VILLAGE_STREETS,
    },
    Place {
        name: "Nustrup",
        post: "6510 Gram",
        centre: p(55.2630, 9.1700),
        radius_km: 0.5,
        weight: 3.0,
        streets: VILLAGE_STREETS,
    },
];

/// Gram district, west of Vojens (Gram itself is ~16 km from Vojens).
const GRAM_PLACES: &[Place] = &[
    Place {
        name: "Gram",
        post: "6510 Gram",
        centre: p(55.2870, 9.0500),
        radius_km: 1.0,
        weight: 70.0,
        streets: TOWN_STREETS,
    },
    Place {
        name: "Arnum",
        post: "6510 Gram",
        centre: p(55.2450, 8.9850),
        radius_km: 0.5,
        weight: 15.0,
        streets: VILLAGE_STREETS,
    },
    Place {
        name: "Øster Lindet",
        post: "6630 Rødding",
        centre: p(55.3250, 9.0950),
        radius_km: 0.5,
        weight: 15.0,
        streets: VILLAGE_STREETS,
    },
];

const fn haderslev_quarter(lat: f64, lon: f64) -> Place {
    Place {
        name: "Haderslev",
        post: "6100 Haderslev",
        centre: p(lat, lon),
        radius_km: 1.2,
        weight: 80.0,
        streets: TOWN_STREETS,
    }
}

const fn haderslev_village(name: &'static str, lat: f64, lon: f64) -> Place {
    Place {
        name,
        post: "6100 Haderslev",
        centre: p(lat, lon),
        radius_km: 0.5,
        weight: 20.0,
        streets: VILLAGE_STREETS,
    }
}

const HJORTEBRO_PLACES: &[Place] = &[
    haderslev_quarter(55.2430, 9.4850),
    haderslev_village("Starup", 55.2330, 9.5250),
];
const SLIVSOE_PLACES: &[Place] = &[
    haderslev_quarter(55.2520, 9.4650),
    haderslev_village("Erlev", 55.2650, 9.4550),
];
const FJORDEN_PLACES: &[Place] = &[
    haderslev_quarter(55.2560, 9.5000),
    haderslev_village("Øsby", 55.2300, 9.5900),
];
const BRAINE_PLACES: &[Place] = &[
    haderslev_quarter(55.2620, 9.4850),
    haderslev_village("Marstrup", 55.2850, 9.5000),
];

/// The districts in the order teams are given to them: Vojens first (5 teams, the
/// default demo), then Gram (4), then the four Haderslev town districts.
pub const DISTRICTS: &[DistrictSpec] = &[
    DistrictSpec {
        id: "vojens",
        name: "Vojens",
        centre: VOJENS,
        teams: 5,
        places: VOJENS_PLACES,
    },
    DistrictSpec {
        id: "gram",
        name: "Gram",
        centre: p(55.2870, 9.0500),
        teams: 4,
        places: GRAM_PLACES,
    },
    DistrictSpec {
        id: "hjortebro",
        name: "Hjortebro",
        centre: p(55.2430, 9.4850),
        teams: 3,
        places: HJORTEBRO_PLACES,
    },
    DistrictSpec {
        id: "slivsoe",
        name: "Slivsø",
        centre: p(55.2520, 9.4650),
        teams: 3,
        places: SLIVSOE_PLACES,
    },
    DistrictSpec {
        id: "fjorden",
        name: "Fjorden",
        centre: p(55.2560, 9.5000),
        teams: 3,
        places: FJORDEN_PLACES,
    },
    DistrictSpec {
        id: "braine",
        name: "Braine",
        centre: p(55.2620, 9.4850),
        teams: 3,
        places: BRAINE_PLACES,
    },
];

/// First names of people now in their late seventies to nineties, with a few
/// Sønderjylland favourites (Jes, Nis, Hertha).
pub const OLD_WOMEN: &[&str] = &[
    "Inger",
    "Kirsten",
    "Karen",
    "Hanne",
    "Birgit",
    "Else",
    "Ruth",
    "Grethe",
    "Lis",
    "Bente",
    "Anna",
    "Ellen",
    "Jytte",
    "Gudrun",
    "Ingrid",
    "Erna",
    "Edith",
    "Gerda",
    "Lilly",
    "Aase",
    "Tove",
    "Marie",
    "Margrethe",
    "Helga",
    "Hertha",
    "Elna",
    "Dagmar",
    "Anni",
    "Lise",
    "Ulla",
];
pub const OLD_MEN: &[&str] = &[
    "Hans",
    "Peter",
    "Jens",
    "Niels",
    "Jørgen",
    "Poul",
    "Erik",
    "Knud",
    "Svend",
    "Ole",
    "Henning",
    "Bent",
    "Kaj",
    "Aage",
    "Carl",
    "Christian",
    "Jes",
    "Nis",
    "Frede",
    "Holger",
    "Arne",
    "Egon",
    "Leif",
    "Verner",
];
pub const YOUNG_WOMEN: &[&str] = &[
    "Mette",
    "Louise",
    "Camilla",
    "Maria",
    "Sofie",
    "Line",
    "Julie",
    "Anne",
    "Pernille",
    "Tina",
    "Susanne",
    "Helle",
    "Lene",
    "Charlotte",
    "Stine",
    "Malene",
    "Rikke",
    "Nanna",
    "Fatima",
    "Dorthe",
    "Gitte",
    "Jeanette",
    "Heidi",
    "Trine",
    "Sanne",
    "Katrine",
    "Ida",
    "Amalie",
    "Emma",
    "Natalia",
    "Aisha",
    "Birthe",
];
pub const YOUNG_MEN: &[&str] = &[
    "Mads", "Jonas", "Kasper", "Mikkel", "Ahmad", "Thomas", "Martin", "Rasmus", "Jesper", "Morten",
    "Nikolaj", "Jacob",
];
pub const SURNAMES: &[&str] = &[
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Petersen",
    "Jørgensen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Schmidt",
    "Lorenzen",
    "Jessen",
    "Clausen",
    "Nissen",
    "Paulsen",
    "Bonde",
    "Iversen",
    "Lund",
    "Friis",
    "Kock",
    "Hinrichsen",
    "Damm",
    "Bruhn",
    "Asmussen",
    "Hollensen",
];

/// What staff need to know before they walk in (*nøgleoplysninger*).
pub const KEY_INFORMATION: &[&str] = &[
    "Nøgleboks ved bagdøren.",
    "Nøgleboks ved hoveddøren.",
    "Ring på og gå ind, borger hører dårligt.",
    "Hund i huset (venlig), luk havelågen.",
    "Kat må ikke komme ud.",
    "Demens: tal roligt og præsenter dig ved navn.",
    "Nøgle hos naboen i nr. 2, hvis nøgleboksen driller.",
    "Ryger i hjemmet, luft ud efter besøget.",
    "Nødkald om håndleddet, test det om mandagen.",
    "Faldtendens: rollator skal stå ved sengen.",
    "Diabetes: tjek blodsukker ved utilpashed.",
    "Borger er hørehæmmet, bank hårdt på ruden.",
    "Iltapparat i stuen, ingen åben ild.",
    "Parkér på gårdspladsen, ikke i indkørslen.",
];

pub const RELATIONS: &[&str] = &[
    "datter",
    "søn",
    "ægtefælle",
    "nabo",
    "svigerdatter",
    "barnebarn",
];
