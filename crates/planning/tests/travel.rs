//! Travel times: the offline model, and the OSRM client against a loopback server that
//! answers in OSRM's documented `/table` format (no OSRM build can be installed here).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use nabo_domain::{GeoPoint, TravelMode};
use nabo_planning::travel::{
    Cached, Haversine, OsrmClient, Provider, TravelError, TravelTimes, CAR_PARKING_S,
};
use nabo_store::Store;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What the fake router was asked: (profile, sources, destinations) per request.
type Log = Arc<Mutex<Vec<(String, usize, usize)>>>;

fn parse(coords: &str) -> Vec<(f64, f64)> {
    coords
        .split(';')
        .map(|c| {
            let (lon, lat) = c.split_once(',').expect("lon,lat");
            (lon.parse().expect("lon"), lat.parse().expect("lat"))
        })
        .collect()
}

fn indices(q: &HashMap<String, String>, key: &str, all: usize) -> Vec<usize> {
    match q.get(key) {
        Some(list) if list != "all" => list.split(';').map(|i| i.parse().expect("index")).collect(),
        _ => (0..all).collect(),
    }
}

/// Metres the fake router says: a simple rectilinear rule, easy to recompute here.
fn fake_metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.1 - b.1).abs() * 111_000.0 + (a.0 - b.0).abs() * 63_000.0
}

async fn table(
    State(log): State<Log>,
    Path((prefix, profile, coords)): Path<(String, String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if prefix == "broken" {
        let body = json!({"code": "InvalidQuery", "message": "Query string malformed close to position 31"});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    if prefix == "proxy" {
        return (StatusCode::BAD_GATEWAY, "<html>502 Bad Gateway</html>").into_response();
    }
    assert_eq!(
        q.get("annotations").map(String::as_str),
        Some("duration,distance")
    );
    let points = parse(&coords);
    let src = indices(&q, "sources", points.len());
    let dst = indices(&q, "destinations", points.len());
    log.lock()
        .expect("log")
        .push((profile, src.len(), dst.len()));
    // A point at latitude 0 is "in the sea": no route to or from it (null).
    let cell = |i: usize, j: usize, f: &dyn Fn(f64) -> f64| -> Value {
        let (a, b) = (points[i], points[j]);
        if a.1 == 0.0 || b.1 == 0.0 {
            Value::Null
        } else {
            json!(f(fake_metres(a, b)))
        }
    };
    let durations: Vec<Vec<Value>> = src
        .iter()
        .map(|&i| {
            dst.iter()
                .map(|&j| cell(i, j, &|m| m / 10.0 + 0.4))
                .collect()
        })
        .collect();
    let distances: Vec<Vec<Value>> = src
        .iter()
        .map(|&i| dst.iter().map(|&j| cell(i, j, &|m| m)).collect())
        .collect();
    let waypoint =
        |&i: &usize| json!({"location": [points[i].0, points[i].1], "name": "", "distance": 0.0});
    Json(json!({
        "code": "Ok",
        "durations": durations,
        "distances": distances,
        "sources": src.iter().map(waypoint).collect::<Vec<_>>(),
        "destinations": dst.iter().map(waypoint).collect::<Vec<_>>(),
    }))
    .into_response()
}

async fn fake_router() -> (String, Log) {
    let log: Log = Arc::default();
    let app = Router::new()
        .route("/{prefix}/table/v1/{profile}/{coords}", get(table))
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    (format!("http://{addr}"), log)
}

fn homes() -> Vec<GeoPoint> {
    vec![
        GeoPoint::new(55.2466, 9.3066), // Vojens
        GeoPoint::new(55.2160, 9.3330), // Jegerup
        GeoPoint::new(55.3160, 9.2950), // Sommersted
        GeoPoint::new(55.2625, 9.3880), // Hammelev
        GeoPoint::new(55.2280, 9.2620), // Skrydstrup
    ]
}

fn expected(a: GeoPoint, b: GeoPoint) -> (u32, u32) {
    let m = fake_metres((a.lon, a.lat), (b.lon, b.lat));
    ((m / 10.0 + 0.4).round() as u32, m.round() as u32)
}

#[tokio::test]
async fn the_osrm_client_reads_a_documented_table_response() {
    let (url, log) = fake_router().await;
    let client = OsrmClient::new(&format!("{url}/ok/")).expect("client");
    let points = homes();
    let m = client
        .matrix(TravelMode::Bike, &points)
        .await
        .expect("matrix");
    assert_eq!((m.rows, m.cols), (5, 5));
    for (i, a) in points.iter().enumerate() {
        for (j, b) in points.iter().enumerate() {
            let e = m.get(i, j);
            assert_eq!((e.seconds, e.metres), expected(*a, *b), "{i}->{j}");
        }
    }
    assert_eq!(m.get(2, 2).seconds, 0);
    assert_eq!(*log.lock().unwrap(), [("cycling".to_owned(), 5, 5)]);
}

#[tokio::test]
async fn big_tables_are_fetched_in_blocks_within_the_routers_limit() {
    let (url, log) = fake_router().await;
    let mut client = OsrmClient::new(&format!("{url}/ok")).expect("client");
    client.max_table_size = 4;
    let points = homes();
    let m = client
        .matrix(TravelMode::Car, &points)
        .await
        .expect("matrix");
    let log = log.lock().unwrap().clone();
    // Blocks of 2 sources × 2 destinations: 3 × 3 requests, never over 4 coordinates.
    assert_eq!(log.len(), 9);
    assert!(log.iter().all(|(p, s, d)| p == "driving" && s + d <= 4));
    assert_eq!(
        (m.get(4, 1).seconds, m.get(4, 1).metres),
        expected(points[4], points[1])
    );
}

#[tokio::test]
async fn an_osrm_error_response_is_reported_with_its_code_and_message() {
    let (url, _) = fake_router().await;
    let client = OsrmClient::new(&format!("{url}/broken")).expect("client");
    let err = client
        .matrix(TravelMode::Foot, &homes())
        .await
        .expect_err("InvalidQuery");
    match &err {
        TravelError::Router { code, message, url } => {
            assert_eq!(code, "InvalidQuery");
            assert!(message.contains("malformed"));
            assert!(url.contains("/table/v1/walking/"));
        }
        other => panic!("{other:?}"),
    }
    let proxy = OsrmClient::new(&format!("{url}/proxy")).expect("client");
    let err = proxy
        .matrix(TravelMode::Car, &homes())
        .await
        .expect_err("502");
    assert!(
        matches!(err, TravelError::Status { status: 502, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_unroutable_pair_is_named() {
    let (url, _) = fake_router().await;
    let client = OsrmClient::new(&format!("{url}/ok")).expect("client");
    let mut points = homes();
    points[3] = GeoPoint::new(0.0, 9.3);
    let err = client
        .matrix(TravelMode::Car, &points)
        .await
        .expect_err("null entries");
    let text = err.to_string();
    assert!(
        matches!(err, TravelError::Unroutable { from: 0, to: 3, .. }),
        "{text}"
    );
    assert!(
        text.contains("point 0") && text.contains("point 3"),
        "{text}"
    );
}

#[tokio::test]
async fn a_router_that_is_not_there_is_reported_with_its_url() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = OsrmClient::new(&format!("http://127.0.0.1:{port}")).expect("client");
    let err = client
        .matrix(TravelMode::Car, &homes())
        .await
        .expect_err("refused");
    assert!(matches!(err, TravelError::Http { .. }));
    assert!(err.to_string().contains(&format!("127.0.0.1:{port}")));
    assert!(matches!(
        Provider::new(Some("localhost:5000")),
        Err(TravelError::BadUrl(_))
    ));
}

#[tokio::test]
async fn the_cache_asks_the_router_only_for_pairs_it_does_not_have() {
    let (url, log) = fake_router().await;
    let store = Store::connect("sqlite::memory:").await.expect("store");
    let cached = Cached::new(
        store.clone(),
        OsrmClient::new(&format!("{url}/ok")).unwrap(),
    );
    let mut points = homes();
    let first = cached
        .matrix(TravelMode::Car, &points)
        .await
        .expect("first");
    assert_eq!(log.lock().unwrap().len(), 1);
    let again = cached
        .matrix(TravelMode::Car, &points)
        .await
        .expect("again");
    assert_eq!(first, again);
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "everything came from the cache"
    );
    // Another mode is another matrix.
    cached
        .matrix(TravelMode::Bike, &points)
        .await
        .expect("bike");
    assert_eq!(log.lock().unwrap().len(), 2);

    // A new citizen: only its row and column are fetched.
    points.push(GeoPoint::new(55.1830, 9.3400)); // Over Jerstal
    let grown = cached
        .matrix(TravelMode::Car, &points)
        .await
        .expect("grown");
    let asked: usize = log.lock().unwrap()[2..].iter().map(|(_, s, d)| s * d).sum();
    assert_eq!(
        asked,
        6 + 5,
        "the new row (6) and the others' column to it (5)"
    );
    assert_eq!(
        (grown.get(5, 0).seconds, grown.get(5, 0).metres),
        expected(points[5], points[0])
    );
    assert_eq!(grown.get(1, 2), first.get(1, 2));

    // A citizen moves: the store forgets that point, and it is fetched again.
    store.forget_travel_at(points[2]).await.expect("forget");
    let before = log.lock().unwrap().len();
    cached
        .matrix(TravelMode::Car, &points)
        .await
        .expect("refetch");
    let asked: usize = log.lock().unwrap()[before..]
        .iter()
        .map(|(_, s, d)| s * d)
        .sum();
    assert_eq!(asked, 6 + 5);
}

#[tokio::test]
async fn the_offline_model_gives_plausible_times_per_travel_mode() {
    let vojens = GeoPoint::new(55.2466, 9.3066);
    let haderslev = GeoPoint::new(55.2497, 9.4896);
    let car = Haversine::leg(TravelMode::Car, vojens, haderslev);
    // ~11.6 km as the crow flies, ~15 km by road: 20-30 minutes incl. parking.
    assert!((14_000..16_500).contains(&car.metres), "{}", car.metres);
    assert!((20 * 60..30 * 60).contains(&car.seconds), "{}", car.seconds);
    let ebike = Haversine::leg(TravelMode::EBike, vojens, haderslev).seconds;
    let bike = Haversine::leg(TravelMode::Bike, vojens, haderslev).seconds;
    let foot = Haversine::leg(TravelMode::Foot, vojens, haderslev).seconds;
    assert!(car.seconds < ebike && ebike < bike && bike < foot);
    // Within Vojens town (~800 m): a few minutes by car, mostly parking.
    let near = GeoPoint::new(55.2520, 9.3150);
    let short = Haversine::leg(TravelMode::Car, vojens, near).seconds;
    assert!(
        (CAR_PARKING_S + 60..CAR_PARKING_S + 180).contains(&short),
        "{short}"
    );
    // A couple at one address: no travel.
    assert_eq!(Haversine::leg(TravelMode::Car, near, near).seconds, 0);
    let m = Provider::new(None)
        .unwrap()
        .matrix(TravelMode::Car, &[vojens, haderslev, near])
        .await
        .unwrap();
    assert_eq!(m.get(0, 1), car);
    assert_eq!(m.get(1, 1).seconds, 0);
}
