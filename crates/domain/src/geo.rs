//! Positions on the map.

use serde::{Deserialize, Serialize};

/// A WGS84 position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// Mean Earth radius used by the great-circle formula (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl GeoPoint {
    pub fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }

    /// Why this point is not a place on Earth, if it is not.
    pub fn problem(&self) -> Option<&'static str> {
        if !self.lat.is_finite() || !(-90.0..=90.0).contains(&self.lat) {
            Some("latitude must be a number between -90 and 90")
        } else if !self.lon.is_finite() || !(-180.0..=180.0).contains(&self.lon) {
            Some("longitude must be a number between -180 and 180")
        } else {
            None
        }
    }

    /// Great-circle (haversine) distance in metres.
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vojens_to_haderslev_is_about_fourteen_km() {
        let vojens = GeoPoint::new(55.2466, 9.3066);
        let haderslev = GeoPoint::new(55.2497, 9.4896);
        let km = vojens.distance_m(&haderslev) / 1000.0;
        assert!((11.0..13.0).contains(&km), "{km}");
    }

    #[test]
    fn impossible_points_are_refused() {
        assert!(GeoPoint::new(91.0, 9.0).problem().is_some());
        assert!(GeoPoint::new(55.0, f64::NAN).problem().is_some());
        assert!(GeoPoint::new(55.0, 9.0).problem().is_none());
    }
}
