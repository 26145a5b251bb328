//! The EPCIS 2.0 query language's parameters (EPCIS 2.0 §8.2.7.1, the REST binding's
//! `GET /events` query string) parsed into a typed query.
//!
//! Lists are pipe-delimited as the REST binding's `style: pipeDelimited` says. A parameter the
//! standard names but this repository cannot evaluate (master data attributes, extension fields
//! of locations) is refused by name, never ignored: ignoring a filter would answer with events
//! the client did not ask for.
//!
//! The parameters a repository evaluates on indexed columns are fields of [`Query`]; the others
//! are [`filter::Condition`]s, which [`Query::matches`] evaluates on the event itself.

pub mod filter;
mod names;
#[cfg(test)]
mod tests;

use chrono::{DateTime, FixedOffset};

use crate::epc::{Epc, EpcKind};
use crate::error::{EventError, Path};
use crate::event::{Action, Event, EventType, parse_time};
use filter::Condition;

/// Events per page when `perPage` is not given (the REST binding's default).
pub const DEFAULT_PER_PAGE: u32 = 30;
/// The largest `perPage` accepted.
pub const MAX_PER_PAGE: u32 = 1_000;

/// Which identifier fields a `MATCH_` parameter looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchField {
    /// `MATCH_epc`: epcList, childEPCs.
    Epc,
    /// `MATCH_parentID`.
    ParentId,
    /// `MATCH_inputEPC`.
    InputEpc,
    /// `MATCH_outputEPC`.
    OutputEpc,
    /// `MATCH_anyEPC`: every instance field and the parent.
    AnyEpc,
    /// `MATCH_epcClass`: quantityList, childQuantityList.
    EpcClass,
    /// `MATCH_inputEPCClass`.
    InputEpcClass,
    /// `MATCH_outputEPCClass`.
    OutputEpcClass,
    /// `MATCH_anyEPCClass`: every quantity list.
    AnyEpcClass,
}

impl MatchField {
    /// The stored roles (see `Event::roles`) this parameter matches.
    pub fn roles(self) -> &'static [&'static str] {
        match self {
            MatchField::Epc => &["epc", "child"],
            MatchField::ParentId => &["parent"],
            MatchField::InputEpc => &["input"],
            MatchField::OutputEpc => &["output"],
            MatchField::AnyEpc => &["epc", "child", "parent", "input", "output"],
            MatchField::EpcClass => &["quantity", "child_quantity"],
            MatchField::InputEpcClass => &["input_quantity"],
            MatchField::OutputEpcClass => &["output_quantity"],
            MatchField::AnyEpcClass => &[
                "quantity",
                "child_quantity",
                "input_quantity",
                "output_quantity",
            ],
        }
    }

    fn parse(name: &str) -> Option<MatchField> {
        Some(match name {
            "MATCH_epc" => MatchField::Epc,
            "MATCH_parentID" => MatchField::ParentId,
            "MATCH_inputEPC" => MatchField::InputEpc,
            "MATCH_outputEPC" => MatchField::OutputEpc,
            "MATCH_anyEPC" => MatchField::AnyEpc,
            "MATCH_epcClass" => MatchField::EpcClass,
            "MATCH_inputEPCClass" => MatchField::InputEpcClass,
            "MATCH_outputEPCClass" => MatchField::OutputEpcClass,
            "MATCH_anyEPCClass" => MatchField::AnyEpcClass,
            _ => return None,
        })
    }
}

/// One `MATCH_` condition: identifiers, and GTINs for patterns that stand for every instance
/// or lot of a GTIN (`urn:epc:idpat:sgtin:...*`, `https://id.gs1.org/01/{gtin}`).
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// Which fields.
    pub field: MatchField,
    /// Exact identifiers (canonical form).
    pub epcs: Vec<String>,
    /// GTINs whose every instance or class matches.
    pub gtins: Vec<String>,
}

/// `WD_readPoint` or `WD_bizLocation` expanded: the locations named, and the prefixes of
/// their descendants.
///
/// Limitation: this repository holds no master-data hierarchy (EPCIS 2.0 §6.5), so "with
/// descendants" means the location itself and, for an SGLN without an extension, every SGLN
/// of the same GLN with an extension (`https://id.gs1.org/414/{gln}/254/{ext}`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Within {
    /// Exact locations (canonical form).
    pub ids: Vec<String>,
    /// Prefixes of the canonical form of descendants (`https://id.gs1.org/414/{gln}/254/`).
    pub prefixes: Vec<String>,
}

impl Within {
    fn of(epcs: Vec<Epc>) -> Within {
        let mut w = Within::default();
        for e in epcs {
            let id = e.canonical().to_owned();
            if e.kind() == EpcKind::Sgln && !id.contains("/254/") {
                w.prefixes.push(format!("{id}/254/"));
            }
            w.ids.push(id);
        }
        w
    }

    /// Whether a location (canonical form) is one of these or descends from one.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.iter().any(|i| i == id) || self.prefixes.iter().any(|p| id.starts_with(p))
    }
}

/// The order of results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderBy {
    /// `eventTime` (the default here; the standard leaves it to the repository).
    #[default]
    EventTime,
    /// `recordTime`.
    RecordTime,
}

/// A parsed event query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// `eventType`.
    pub event_types: Vec<EventType>,
    /// `GE_eventTime`.
    pub ge_event_time: Option<DateTime<FixedOffset>>,
    /// `LT_eventTime`.
    pub lt_event_time: Option<DateTime<FixedOffset>>,
    /// `GE_recordTime`.
    pub ge_record_time: Option<DateTime<FixedOffset>>,
    /// `LT_recordTime`.
    pub lt_record_time: Option<DateTime<FixedOffset>>,
    /// `EQ_action`.
    pub actions: Vec<Action>,
    /// `EQ_bizStep` (CBV short names or URIs).
    pub biz_steps: Vec<String>,
    /// `EQ_disposition`.
    pub dispositions: Vec<String>,
    /// `EQ_readPoint` (canonical form).
    pub read_points: Vec<String>,
    /// `EQ_bizLocation` (canonical form).
    pub biz_locations: Vec<String>,
    /// `EQ_eventID`.
    pub event_ids: Vec<String>,
    /// `MATCH_*`, all of which must hold.
    pub matches: Vec<Match>,
    /// `WD_readPoint`.
    pub wd_read_point: Option<Within>,
    /// `WD_bizLocation`.
    pub wd_biz_location: Option<Within>,
    /// `EXISTS_errorDeclaration`.
    pub exists_error_declaration: bool,
    /// The parameters evaluated on the event itself, all of which must hold.
    pub conditions: Vec<Condition>,
    /// `orderBy`.
    pub order_by: OrderBy,
    /// `orderDirection=DESC` (ascending otherwise).
    pub descending: bool,
    /// `eventCountLimit`: at most this many events in all.
    pub event_count_limit: Option<u32>,
    /// `maxEventCount`: refuse the query (`QueryTooLargeException`) if more events match.
    pub max_event_count: Option<u32>,
    /// `perPage`.
    pub per_page: u32,
    /// `nextPageToken`, opaque.
    pub next_page_token: Option<String>,
}

impl Query {
    /// Parses a query string's (name, value) pairs; the error names the parameter.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Query, EventError> {
        let mut q = Query {
            per_page: DEFAULT_PER_PAGE,
            ..Query::default()
        };
        let mut seen = std::collections::HashSet::new();
        for (name, value) in pairs {
            let at = Path::root().field(name);
            if !seen.insert(name) {
                return Err(at.error("is given twice; give one value list, `a|b`"));
            }
            let list = || -> Result<Vec<&'a str>, EventError> {
                let items: Vec<&str> = value.split('|').collect();
                if items.iter().any(|i| i.is_empty()) {
                    return Err(at.error("has an empty item"));
                }
                Ok(items)
            };
            let time = || parse_time(value).map_err(|why| at.error(why));
            let epcs = || -> Result<Vec<Epc>, EventError> {
                list()?
                    .into_iter()
                    .map(|s| Epc::parse(s).map_err(|e| at.error(e.to_string())))
                    .collect()
            };
            let ids = || -> Result<Vec<String>, EventError> {
                Ok(epcs()?.iter().map(|e| e.canonical().to_owned()).collect())
            };
            match name {
                "eventType" => {
                    q.event_types = list()?
                        .into_iter()
                        .map(|t| {
                            EventType::parse(t)
                                .ok_or_else(|| at.error(format!("{t:?} is not an event type")))
                        })
                        .collect::<Result<_, _>>()?;
                }
                "GE_eventTime" => q.ge_event_time = Some(time()?),
                "LT_eventTime" => q.lt_event_time = Some(time()?),
                "GE_recordTime" => q.ge_record_time = Some(time()?),
                "LT_recordTime" => q.lt_record_time = Some(time()?),
                "EQ_action" => {
                    q.actions = list()?
                        .into_iter()
                        .map(|a| {
                            Action::parse(a).ok_or_else(|| {
                                at.error(format!("{a:?} is not ADD, OBSERVE or DELETE"))
                            })
                        })
                        .collect::<Result<_, _>>()?;
                }
                "EQ_bizStep" => {
                    q.biz_steps = list()?
                        .into_iter()
                        .map(|s| {
                            gs1::cbv::BizStep::parse(s)
                                .map(|b| b.as_str().to_owned())
                                .or_else(|_| uri_value(&at, s))
                        })
                        .collect::<Result<_, _>>()?;
                }
                "EQ_disposition" => {
                    q.dispositions = list()?
                        .into_iter()
                        .map(|s| {
                            gs1::cbv::Disposition::parse(s)
                                .map(|d| d.as_str().to_owned())
                                .or_else(|_| uri_value(&at, s))
                        })
                        .collect::<Result<_, _>>()?;
                }
                "EQ_readPoint" => q.read_points = ids()?,
                "EQ_bizLocation" => q.biz_locations = ids()?,
                "WD_readPoint" => q.wd_read_point = Some(Within::of(epcs()?)),
                "WD_bizLocation" => q.wd_biz_location = Some(Within::of(epcs()?)),
                "EQ_eventID" => {
                    q.event_ids = list()?
                        .into_iter()
                        .map(|s| uri_value(&at, s))
                        .collect::<Result<_, _>>()?;
                }
                "EXISTS_errorDeclaration" => {
                    // The standard's EXISTS_ parameters take no value; an empty one or `true`.
                    if !value.is_empty() && value != "true" {
                        return Err(at.error("takes no value (or `true`)"));
                    }
                    q.exists_error_declaration = true;
                }
                "orderBy" => {
                    q.order_by = match value {
                        "eventTime" => OrderBy::EventTime,
                        "recordTime" => OrderBy::RecordTime,
                        _ => return Err(at.error("must be eventTime or recordTime")),
                    }
                }
                "orderDirection" => {
                    q.descending = match value {
                        "ASC" => false,
                        "DESC" => true,
                        _ => return Err(at.error("must be ASC or DESC")),
                    }
                }
                "eventCountLimit" => q.event_count_limit = Some(count(&at, value, u32::MAX)?),
                "maxEventCount" => q.max_event_count = Some(count(&at, value, u32::MAX)?),
                "perPage" => q.per_page = count(&at, value, MAX_PER_PAGE)?,
                "nextPageToken" => {
                    if value.is_empty() || value.len() > 512 {
                        return Err(at.error("must be the token of a previous page"));
                    }
                    q.next_page_token = Some(value.to_owned());
                }
                _ => {
                    if let Some(field) = MatchField::parse(name) {
                        q.matches.push(matching(&at, field, list()?)?);
                    } else if name.starts_with("HASATTR_") {
                        return Err(at.error(
                            "names a master data attribute; this repository holds no master data",
                        ));
                    } else if let Some(c) = names::parse(
                        name,
                        &names::Param {
                            at: &at,
                            raw: value,
                        },
                    ) {
                        q.conditions.push(c?);
                    } else {
                        return Err(at.error("is not a parameter of the EPCIS 2.0 query language"));
                    }
                }
            }
        }
        if q.event_count_limit.is_some() && q.max_event_count.is_some() {
            return Err(Path::root()
                .field("maxEventCount")
                .error("cannot be combined with eventCountLimit"));
        }
        if q.event_count_limit.is_some() && q.next_page_token.is_none() {
            q.per_page = q.per_page.min(q.event_count_limit.unwrap_or(u32::MAX));
        }
        Ok(q)
    }
}

impl Query {
    /// Whether the event satisfies every parameter evaluated on the event itself (the
    /// [`Query::conditions`]); the indexed fields are the repository's to evaluate.
    pub fn matches(&self, event: &Event) -> bool {
        self.conditions.iter().all(|c| c.holds(event))
    }

    /// Whether only events declared in error can match.
    pub fn needs_error_declaration(&self) -> bool {
        self.exists_error_declaration
            || self
                .conditions
                .iter()
                .any(Condition::needs_error_declaration)
    }
}

fn uri_value(at: &Path, s: &str) -> Result<String, EventError> {
    if crate::event::is_uri(s) {
        Ok(s.to_owned())
    } else {
        Err(at.error(format!("{s:?} is neither a CBV 2.0 value nor a URI")))
    }
}

fn count(at: &Path, value: &str, max: u32) -> Result<u32, EventError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| at.error(format!("must be a whole number from 1 to {max}")))
}

/// A `MATCH_` list: exact ids, and GTIN-wide patterns turned into GTINs.
fn matching(at: &Path, field: MatchField, items: Vec<&str>) -> Result<Match, EventError> {
    let mut m = Match {
        field,
        epcs: Vec::new(),
        gtins: Vec::new(),
    };
    for s in items {
        let epc = Epc::parse(s).map_err(|e| at.error(e.to_string()))?;
        // A pattern of every serial of a GTIN matches its instances; a GTIN class matches
        // every lot of it too (EPCIS 2.0 §8.2.7.1.1).
        let gtin_wide = matches!(epc.kind(), EpcKind::GtinClass) && epc.lot().is_none();
        match (gtin_wide, epc.gtin()) {
            (true, Some(g)) => m.gtins.push(g.to_string()),
            _ => m.epcs.push(epc.canonical().to_owned()),
        }
    }
    Ok(m)
}
