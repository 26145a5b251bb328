//! What a client sends: a new alert with its targets, a lift, the list's query.

use super::*;

/// One target in `POST /alerts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetBody {
    /// GTIN.
    pub gtin: String,
    /// Lots; absent or empty means every lot.
    #[serde(default)]
    pub lots: Vec<String>,
}

/// Body of `POST /alerts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// recall or safety_warning.
    pub kind: String,
    /// authority, certifier or wto_notification.
    pub source: String,
    /// External reference, e.g. G/TBT/N/VNM/123.
    #[serde(default)]
    pub reference: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Targets (at least one).
    pub targets: Vec<TargetBody>,
}

impl TryFrom<CreateBody> for NewAlert {
    type Error = ApiError;
    fn try_from(b: CreateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let kind = f.check("kind", b.kind.parse::<AlertKind>());
        let source = f.check("source", b.source.parse::<AlertSource>());
        let reference = b.reference.map(|r| f.check("reference", text(&r, 100)));
        let title = f.check("title", text(&b.title, 200));
        let description = b
            .description
            .map(|d| f.check("description", text(&d, 4000)));
        if b.targets.is_empty() {
            f.push("targets", "name at least one product");
        }
        let mut targets = Vec::new();
        for (i, t) in b.targets.into_iter().enumerate() {
            let gtin = f.check(&format!("targets[{i}].gtin"), t.gtin.parse::<Gtin>());
            let lots: Vec<Option<Lot>> = t
                .lots
                .iter()
                .enumerate()
                .map(|(j, l)| f.check(&format!("targets[{i}].lots[{j}]"), l.parse::<Lot>()))
                .collect();
            if let Some(gtin) = gtin {
                targets.push((gtin, lots.into_iter().flatten().collect()));
            }
        }
        f.finish()?;
        match (kind, source, title) {
            (Some(kind), Some(source), Some(title)) => Ok(NewAlert {
                kind,
                source,
                reference: reference.flatten(),
                title,
                description: description.flatten(),
                targets,
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// Body of `POST /alerts/{id}/lift`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiftBody {
    /// Why.
    pub reason: String,
}

/// Query of the alert lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only alerts targeting this GTIN.
    pub gtin: Option<String>,
    /// active or lifted.
    pub status: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
}

pub(super) fn filter(q: ListQuery) -> Result<(db::alerts::Filter, PageRequest), ApiError> {
    let mut f = Fields::default();
    let gtin = q.gtin.map(|g| f.check("gtin", g.parse::<Gtin>()));
    let status = q
        .status
        .map(|s| f.check("status", s.parse::<AlertStatus>()));
    f.finish()?;
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    Ok((
        db::alerts::Filter {
            gtin: gtin.flatten().map(|g| g.to_string()),
            status: status.flatten().map(|s| s.as_str().to_owned()),
            product_owner: None,
        },
        page,
    ))
}
