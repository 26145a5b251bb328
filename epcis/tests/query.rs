//! The query language's parameters: typed values, pipe-delimited lists, and refusals that name
//! the parameter.

use epcis::query::{MatchField, OrderBy, Query};
use epcis::{Action, EventType};

fn parse(q: &[(&str, &str)]) -> Result<Query, String> {
    Query::parse(q.iter().copied()).map_err(|e| e.to_string())
}

#[test]
fn parameters_parse_into_typed_values() {
    let q = parse(&[
        ("eventType", "ObjectEvent|AggregationEvent"),
        ("GE_eventTime", "2026-11-01T00:00:00+07:00"),
        ("EQ_action", "ADD|DELETE"),
        ("EQ_bizStep", "urn:epcglobal:cbv:bizstep:shipping|receiving"),
        ("EQ_bizLocation", "urn:epc:id:sgln:8934567.00001.0"),
        (
            "MATCH_anyEPC",
            "urn:epc:id:sgtin:8934567.000058.S1|urn:epc:idpat:sgtin:8934567.000065.*",
        ),
        ("orderBy", "recordTime"),
        ("orderDirection", "DESC"),
        ("perPage", "100"),
    ])
    .expect("query parses");
    assert_eq!(q.event_types, [EventType::Object, EventType::Aggregation]);
    assert_eq!(q.actions, [Action::Add, Action::Delete]);
    assert_eq!(q.biz_steps, ["shipping", "receiving"]);
    assert_eq!(q.biz_locations, ["https://id.gs1.org/414/8934567000017"]);
    assert_eq!(q.matches[0].field, MatchField::AnyEpc);
    assert_eq!(
        q.matches[0].epcs,
        ["https://id.gs1.org/01/08934567000581/21/S1"]
    );
    assert_eq!(q.matches[0].gtins, ["08934567000659"]);
    assert_eq!(
        (q.order_by, q.descending, q.per_page),
        (OrderBy::RecordTime, true, 100)
    );
    assert_eq!(parse(&[]).expect("empty query").per_page, 30);
}

#[test]
fn bad_parameters_are_refused_by_name() {
    for (q, want) in [
        (("eventType", "ShipEvent"), "eventType:"),
        (("GE_eventTime", "yesterday"), "GE_eventTime:"),
        (("EQ_action", "ADD|"), "EQ_action: has an empty item"),
        (("MATCH_epc", "not an epc"), "MATCH_epc:"),
        (("perPage", "0"), "perPage:"),
        (("perPage", "1001"), "perPage:"),
        (("orderDirection", "UP"), "orderDirection:"),
        (("GT_quantity", "5kg"), "GT_quantity: must be a number"),
        (
            ("HASATTR_ex:colour", "red"),
            "HASATTR_ex:colour: names a master data attribute",
        ),
        (("colour", "red"), "colour: is not a parameter"),
    ] {
        let got = parse(&[q]).expect_err(want);
        assert!(got.starts_with(want), "{got:?} should start with {want:?}");
    }
    let twice = parse(&[("EQ_action", "ADD"), ("EQ_action", "DELETE")]).expect_err("twice");
    assert!(twice.contains("twice"), "{twice}");
}
