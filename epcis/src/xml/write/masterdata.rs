//! `vocabularyList` to master data (`VocabularyList`), for headers and query results.

use serde_json::Value;

use super::{Writer, array, json_err, object, scalar, string};
use crate::xml::XmlError;

impl Writer {
    pub(super) fn vocabulary_list(&mut self, list: &Value, path: &str) -> Result<(), XmlError> {
        self.open("VocabularyList", &[]);
        for (i, v) in array(list, path)?.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let v = object(v, &p)?;
            let ty = string(
                v.get("type")
                    .ok_or_else(|| json_err(&p, "type is missing"))?,
                &p,
            )?;
            self.open("Vocabulary", &[("type".into(), ty.to_owned())]);
            self.open("VocabularyElementList", &[]);
            let empty = Value::Array(Vec::new());
            let elements = v.get("vocabularyElementList").unwrap_or(&empty);
            for (j, ve) in array(elements, &p)?.iter().enumerate() {
                self.vocabulary_element(ve, &format!("{p}.vocabularyElementList[{j}]"))?;
            }
            self.close("VocabularyElementList");
            self.close("Vocabulary");
        }
        self.close("VocabularyList");
        Ok(())
    }

    fn vocabulary_element(&mut self, ve: &Value, path: &str) -> Result<(), XmlError> {
        let ve = object(ve, path)?;
        let id = string(
            ve.get("id")
                .ok_or_else(|| json_err(path, "id is missing"))?,
            path,
        )?;
        self.open("VocabularyElement", &[("id".into(), id.to_owned())]);
        if let Some(attrs) = ve.get("attributes") {
            for (k, a) in array(attrs, path)?.iter().enumerate() {
                let p = format!("{path}.attributes[{k}]");
                let a = object(a, &p)?;
                let aid = string(
                    a.get("id").ok_or_else(|| json_err(&p, "id is missing"))?,
                    &p,
                )?;
                let at = [("id".into(), aid.to_owned())];
                match a.get("attribute") {
                    None | Some(Value::Null) => self.empty("attribute", &at),
                    Some(Value::Object(map)) => {
                        self.open("attribute", &at);
                        for (k, v) in map {
                            self.extension(k, v, &format!("{p}.attribute.{k}"))?;
                        }
                        self.close("attribute");
                    }
                    Some(v) => self.leaf("attribute", &at, &scalar(v, &p)?),
                }
            }
        }
        if let Some(children) = ve.get("children") {
            self.open("children", &[]);
            for c in array(children, path)? {
                self.leaf("id", &[], string(c, path)?);
            }
            self.close("children");
        }
        self.close("VocabularyElement");
        Ok(())
    }
}
