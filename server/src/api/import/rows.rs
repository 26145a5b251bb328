//! Reading an import body into rows: CSV with a header, or a JSON array of objects; every cell checked, every row numbered.

use super::*;

pub(super) enum Format {
    Csv,
    Json,
}

impl Format {
    pub(super) fn of(req: &HttpRequest) -> Result<Self, ApiError> {
        let mime = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<actix_web::mime::Mime>().ok());
        match mime.as_ref().map(|m| m.essence_str()) {
            Some("text/csv") => Ok(Self::Csv),
            Some("application/json") => Ok(Self::Json),
            _ => Err(bad_request(
                "expected Content-Type: text/csv or application/json".to_owned(),
            )),
        }
    }
}

/// One value of a row: a CSV cell or JSON string, or a JSON array.
pub(super) enum Cell {
    Text(String),
    List(Vec<String>),
}

/// Why one cell of an import row was refused (before its value is judged).
#[derive(Debug, thiserror::Error)]
pub(super) enum CellError {
    /// A CSV cell that is not UTF-8.
    #[error("is not valid UTF-8")]
    NotUtf8,
    /// A JSON value that is not a string where one is expected.
    #[error("must be a string")]
    NotString,
    /// A JSON list with a member that is not a string.
    #[error("must be an array of strings")]
    NotStringList,
    /// A column or key that names no product field.
    #[error("unknown field")]
    UnknownField,
}

/// Puts `cell` into the field `name` of `row`.
pub(super) fn set(row: &mut ProductInput, name: &str, cell: Cell) -> Result<(), CellError> {
    let list = match cell {
        // A list written in one cell: `VN;US`.
        Cell::Text(s) if matches!(name, "target_markets" | "standards") => s
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Cell::List(items) => items,
        Cell::Text(s) => return set_text(row, name, s),
    };
    match name {
        "target_markets" => row.target_markets = list,
        "standards" => row.standards = list,
        _ => return Err(CellError::NotString),
    }
    Ok(())
}

pub(super) fn set_text(row: &mut ProductInput, name: &str, s: String) -> Result<(), CellError> {
    let slot = match name {
        "gtin" => {
            row.gtin = s;
            return Ok(());
        }
        "name_vi" => {
            row.name_vi = s;
            return Ok(());
        }
        "name_en" => {
            row.name_en = s;
            return Ok(());
        }
        "description_vi" => &mut row.description_vi,
        "description_en" => &mut row.description_en,
        "brand" => &mut row.brand,
        "gpc_brick" => &mut row.gpc_brick,
        "hs_code" => &mut row.hs_code,
        "country_of_origin" => &mut row.country_of_origin,
        "net_content" => &mut row.net_content,
        "net_content_unit" => &mut row.net_content_unit,
        "image_url" => &mut row.image_url,
        _ => return Err(CellError::UnknownField),
    };
    *slot = Some(s);
    Ok(())
}

/// Validates a row whose cells were all readable.
pub(super) fn finish(n: usize, row: ProductInput, errors: Vec<FieldError>) -> ImportRow {
    if !errors.is_empty() {
        return (n, Err(errors));
    }
    let parsed = NewProduct::try_from(row).map_err(|e| match e {
        ApiError::Validation(errors) => errors,
        other => vec![FieldError::new("row", other.to_string())],
    });
    (n, parsed)
}

/// Rows of a CSV body (a UTF-8 byte order mark is skipped), numbered from 1 after the header,
/// read one at a time as the import takes them.
pub(super) fn csv_rows(body: Bytes) -> Result<CsvRows, ApiError> {
    let body = if body.starts_with(b"\xEF\xBB\xBF") {
        body.slice(3..)
    } else {
        body
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::Cursor::new(body));
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ApiError::field("header", format!("unreadable CSV header: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    check_header(&header)?;
    Ok(CsvRows {
        reader,
        header,
        record: csv::ByteRecord::new(),
        n: 0,
    })
}

/// The data rows of a CSV body whose header was checked.
pub(super) struct CsvRows {
    reader: csv::Reader<std::io::Cursor<Bytes>>,
    header: Vec<String>,
    record: csv::ByteRecord,
    n: usize,
}

impl Iterator for CsvRows {
    type Item = ImportRow;

    fn next(&mut self) -> Option<ImportRow> {
        let read = self.reader.read_byte_record(&mut self.record);
        self.n += 1;
        let n = self.n;
        match read {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => return Some((n, Err(vec![FieldError::new("row", e.to_string())]))),
        }
        if self.record.len() != self.header.len() {
            let reason = format!(
                "has {} fields, the header {}",
                self.record.len(),
                self.header.len()
            );
            return Some((n, Err(vec![FieldError::new("row", reason)])));
        }
        let mut row = ProductInput::default();
        let mut errors = Vec::new();
        for (name, cell) in self.header.iter().zip(self.record.iter()) {
            let result = std::str::from_utf8(cell)
                .map_err(|_| CellError::NotUtf8)
                .and_then(|s| set(&mut row, name, Cell::Text(s.to_owned())));
            if let Err(reason) = result {
                errors.push(FieldError::new(name.as_str(), reason.to_string()));
            }
        }
        Some(finish(n, row, errors))
    }
}

/// 422 unless every column is a known field, named once, and the required ones are there.
pub(super) fn check_header(header: &[String]) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) {
            errors.push(FieldError::new(
                "header",
                format!("unknown column {name:?}: use {}", COLUMNS.join(", ")),
            ));
        } else if header[..i].contains(name) {
            errors.push(FieldError::new(
                "header",
                format!("column {name:?} appears twice"),
            ));
        }
    }
    for required in REQUIRED {
        if !header.iter().any(|h| h == required) {
            errors.push(FieldError::new(
                "header",
                format!("missing column {required:?}"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Rows of a JSON array of objects, numbered from 1, built one at a time as the import takes
/// them. The whole body is checked to be one well-formed array first (without building it), so
/// a syntax error near its end refuses the import before any row is written.
pub(super) fn json_rows(body: Bytes) -> Result<JsonRows, ApiError> {
    serde_json::from_slice::<AnArray>(&body).map_err(|e| ApiError::BadRequest {
        detail: format!("expected a JSON array of products: {e}"),
        errors: vec![FieldError::new("body", e.to_string())],
    })?;
    // After the checked parse the first non-blank byte is the array's `[`.
    let at = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(body.len(), |i| i + 1);
    Ok(JsonRows { body, at, n: 0 })
}

/// The members of a JSON array, read one value at a time.
pub(super) struct JsonRows {
    body: Bytes,
    /// Where the next member (or the closing `]`) starts, blanks and a comma aside.
    at: usize,
    n: usize,
}

impl JsonRows {
    fn skip(&mut self, also: u8) {
        while let Some(&b) = self.body.get(self.at) {
            if b.is_ascii_whitespace() || b == also {
                self.at += 1;
            } else {
                break;
            }
        }
    }
}

impl Iterator for JsonRows {
    type Item = ImportRow;

    fn next(&mut self) -> Option<ImportRow> {
        self.skip(b',');
        if self.body.get(self.at).is_none_or(|&b| b == b']') {
            return None;
        }
        let mut values =
            serde_json::Deserializer::from_slice(&self.body[self.at..]).into_iter::<Value>();
        let value = values.next();
        self.at += values.byte_offset().max(1);
        self.n += 1;
        Some(match value {
            Some(Ok(item)) => json_row(self.n, item),
            // Unreachable after the checked parse; refused rather than trusted.
            Some(Err(e)) => (self.n, Err(vec![FieldError::new("row", e.to_string())])),
            None => return None,
        })
    }
}

/// A JSON array, its members parsed and dropped: the syntax check of [`json_rows`].
struct AnArray;

impl<'de> serde::Deserialize<'de> for AnArray {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = AnArray;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<AnArray, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(AnArray)
            }
        }
        d.deserialize_seq(Members)
    }
}

pub(super) fn json_row(n: usize, item: Value) -> ImportRow {
    let Value::Object(fields) = item else {
        return (
            n,
            Err(vec![FieldError::new("row", "must be a JSON object")]),
        );
    };
    let mut row = ProductInput::default();
    let mut errors = Vec::new();
    for (name, value) in fields {
        let cell = match value {
            Value::Null => continue,
            Value::String(s) => Ok(Cell::Text(s)),
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(CellError::NotStringList),
                })
                .collect::<Result<_, _>>()
                .map(Cell::List),
            _ => Err(CellError::NotString),
        };
        if let Err(reason) = cell.and_then(|c| set(&mut row, &name, c)) {
            errors.push(FieldError::new(name, reason.to_string()));
        }
    }
    finish(n, row, errors)
}
