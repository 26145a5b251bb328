//! Chain of custody across aggregation (while packed, not after) and transformation (inputs'
//! history up to the transformation).

use epcis::journey::{Via, journey};
use epcis::{Epc, Event};
use serde_json::{Value, json};

const ITEM: &str = "urn:epc:id:sgtin:8934567.000058.S1";
const OTHER: &str = "urn:epc:id:sgtin:8934567.000058.S2";
const CASE: &str = "urn:epc:id:sscc:8934567.0000000001";
const PALLET: &str = "urn:epc:id:sscc:8934567.0000000002";
const BEANS: &str = "urn:epc:class:lgtin:8934567.000058.BEANS1";
const ROASTED: &str = "urn:epc:class:lgtin:8934567.000065.ROAST1";

fn event(n: u32, mut v: Value) -> Event {
    v["eventTime"] = json!(format!("2026-11-{:02}T08:00:00+07:00", n));
    v["eventTimeZoneOffset"] = json!("+07:00");
    v["bizStep"] = json!(format!("urn:example:step:{n}"));
    Event::from_json(&v).expect("test event reads")
}

fn object(n: u32, epcs: &[&str]) -> Event {
    event(
        n,
        json!({"type": "ObjectEvent", "action": "OBSERVE", "epcList": epcs}),
    )
}

fn pack(n: u32, action: &str, parent: &str, children: &[&str]) -> Event {
    event(
        n,
        json!({"type": "AggregationEvent", "action": action, "parentID": parent, "childEPCs": children}),
    )
}

fn epc(s: &str) -> Epc {
    Epc::parse(s).expect("test id")
}

/// The days (event numbers) of a journey's steps, with a letter for why: d direct, c container,
/// i input.
fn days(steps: &[epcis::journey::Step<'_>]) -> Vec<String> {
    steps
        .iter()
        .map(|s| {
            let day = &s.event.event_time.format("%d").to_string();
            let why = match s.via {
                Via::Direct => "d",
                Via::Container(_) => "c",
                Via::Input(_) => "i",
            };
            format!("{day}{why}")
        })
        .collect()
}

#[test]
fn an_item_shares_its_containers_events_only_while_packed() {
    let events = vec![
        object(1, &[ITEM, OTHER]),            // commissioned
        pack(2, "ADD", CASE, &[ITEM, OTHER]), // packed into the case
        pack(3, "ADD", PALLET, &[CASE]),      // the case onto the pallet
        object(4, &[PALLET]),                 // the pallet shipped
        object(5, &[PALLET]),                 // and received
        pack(6, "DELETE", PALLET, &[CASE]),   // the case off the pallet
        object(7, &[PALLET]),                 // the pallet goes on without it
        object(8, &[CASE]),                   // the case is stocked
        pack(9, "DELETE", CASE, &[OTHER]),    // another item leaves the case
        object(10, &[CASE]),                  // ours is still in it
        pack(11, "DELETE", CASE, &[]),        // the case is emptied
        object(12, &[CASE]),                  // the empty case is reused
        object(13, &[ITEM]),                  // ours is sold
    ];
    let steps = journey(&[epc(ITEM)], &events);
    // Day 9 names the case while ours is in it (another item leaves); days 7 and 12 do not:
    // by then the pallet had lost our case, and the case our item.
    assert_eq!(
        days(&steps),
        [
            "01d", "02d", "03c", "04c", "05c", "06c", "08c", "09c", "10c", "11c", "13d"
        ]
    );
    assert_eq!(steps[3].via, Via::Container(epc(PALLET)));
    // The other item left on day 9, so the case's day-10 event is not on its journey.
    let other = journey(&[epc(OTHER)], &events);
    assert_eq!(
        days(&other),
        ["01d", "02d", "03c", "04c", "05c", "06c", "08c", "09d"]
    );
}

#[test]
fn a_lot_carries_its_inputs_history_up_to_the_transformation() {
    let quantity = |n: u32, class: &str| {
        event(
            n,
            json!({"type": "ObjectEvent", "action": "OBSERVE",
                   "quantityList": [{"epcClass": class, "quantity": 100, "uom": "KGM"}]}),
        )
    };
    let events = vec![
        quantity(1, BEANS), // harvested
        quantity(2, BEANS), // dried
        event(
            3,
            json!({"type": "TransformationEvent",
                   "inputQuantityList": [{"epcClass": BEANS, "quantity": 100, "uom": "KGM"}],
                   "outputQuantityList": [{"epcClass": ROASTED, "quantity": 80, "uom": "KGM"}]}),
        ),
        quantity(4, BEANS), // the rest of the beans go elsewhere: not our history
        quantity(5, ROASTED), // roasted coffee shipped
    ];
    let steps = journey(&[epc(ROASTED)], &events);
    assert_eq!(days(&steps), ["01i", "02i", "03d", "05d"]);
    assert_eq!(steps[0].via, Via::Input(epc(BEANS)));
    // Forward is not backward: the beans' own journey does not include the roasted lot's.
    assert_eq!(
        days(&journey(&[epc(BEANS)], &events)),
        ["01d", "02d", "03d", "04d"]
    );
}

#[test]
fn an_item_known_with_its_lot_matches_lot_level_events_and_skips_declared_errors() {
    let mut wrong = object(2, &[ITEM]);
    wrong.error_declaration = Some(epcis::event::ErrorDeclaration {
        declaration_time: wrong.event_time,
        reason: Some("did_not_occur".to_owned()),
        corrective_event_ids: Vec::new(),
        extensions: Default::default(),
    });
    let events = vec![
        event(
            1,
            json!({"type": "ObjectEvent", "action": "ADD",
                   "quantityList": [{"epcClass": BEANS, "quantity": 1}]}),
        ),
        wrong,
        object(3, &[ITEM]),
    ];
    assert_eq!(days(&journey(&[epc(ITEM)], &events)), ["03d"]);
    assert_eq!(
        days(&journey(&[epc(ITEM), epc(BEANS)], &events)),
        ["01d", "03d"]
    );
}
