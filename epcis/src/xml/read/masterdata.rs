//! Master data (`VocabularyList`) to `vocabularyList`, for headers and query results.

use serde_json::{Map, Value, json};

use super::{Reader, invalid, text};
use crate::xml::XmlError;
use crate::xml::dom::Element;

impl Reader<'_> {
    pub(super) fn vocabulary_list(&self, el: &Element, path: &str) -> Result<Value, XmlError> {
        let mut vocabs = Vec::new();
        for (i, v) in el
            .children
            .iter()
            .filter(|c| c.local == "Vocabulary")
            .enumerate()
        {
            let p = format!("{path}/Vocabulary[{}]", i + 1);
            let ty = v
                .attr("type")
                .ok_or_else(|| invalid(v, &p, "type attribute is missing"))?;
            let mut elements = Vec::new();
            let items = v
                .child("VocabularyElementList")
                .map(|l| l.children.as_slice())
                .unwrap_or_default();
            for (j, ve) in items.iter().enumerate() {
                let p = format!("{p}/VocabularyElement[{}]", j + 1);
                elements.push(self.vocabulary_element(ve, &p)?);
            }
            vocabs.push(json!({ "type": ty.trim(), "vocabularyElementList": elements }));
        }
        Ok(Value::Array(vocabs))
    }

    fn vocabulary_element(&self, el: &Element, path: &str) -> Result<Value, XmlError> {
        let id = el
            .attr("id")
            .ok_or_else(|| invalid(el, path, "id attribute is missing"))?;
        let mut out = Map::new();
        out.insert("id".into(), Value::String(id.trim().to_owned()));
        let mut attributes = Vec::new();
        let mut children = Vec::new();
        self.vocabulary_parts(el, path, &mut attributes, &mut children)?;
        if !attributes.is_empty() {
            out.insert("attributes".into(), Value::Array(attributes));
        }
        if !children.is_empty() {
            out.insert("children".into(), Value::Array(children));
        }
        Ok(Value::Object(out))
    }

    fn vocabulary_parts(
        &self,
        el: &Element,
        path: &str,
        attributes: &mut Vec<Value>,
        children: &mut Vec<Value>,
    ) -> Result<(), XmlError> {
        for part in &el.children {
            match part.local.as_str() {
                "attribute" => {
                    let id = part
                        .attr("id")
                        .ok_or_else(|| invalid(part, path, "attribute without an id"))?;
                    let value = if part.children.is_empty() {
                        Value::String(text(part))
                    } else {
                        let mut obj = Map::new();
                        for c in &part.children {
                            self.extension(c, &mut obj);
                        }
                        Value::Object(obj)
                    };
                    attributes.push(json!({ "id": id.trim(), "attribute": value }));
                }
                "children" => {
                    for c in part.children.iter().filter(|c| c.local == "id") {
                        children.push(Value::String(text(c)));
                    }
                }
                "extension" => self.vocabulary_parts(part, path, attributes, children)?,
                _ => return Err(invalid(part, path, format!("unexpected {}", part.qname()))),
            }
        }
        Ok(())
    }
}
