//! A small owned element tree built from quick-xml events, with the limits that keep hostile
//! input cheap: no DOCTYPE internal subset (so no entity can be declared), only the five
//! predefined entities and character references, and a bounded nesting depth.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::XmlError;

/// Deepest element nesting accepted; EPCIS documents with extensions stay well under 30.
pub(crate) const MAX_DEPTH: usize = 128;

/// One XML element with its namespace resolved.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    /// Namespace URI, `None` for unqualified names (the EPCIS schema's own local elements).
    pub ns: Option<String>,
    /// The prefix as written, kept because JSON keys are `prefix:localName`.
    pub prefix: Option<String>,
    pub local: String,
    pub attrs: Vec<Attr>,
    pub children: Vec<Element>,
    /// Text and CDATA content, concatenated.
    pub text: String,
    /// 1-based line of the start tag, for error messages.
    pub line: usize,
}

/// One attribute (namespace declarations excluded).
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub ns: Option<String>,
    pub prefix: Option<String>,
    pub local: String,
    pub value: String,
}

/// A parsed document: the root element and every prefix declared anywhere, in order.
#[derive(Debug)]
pub(crate) struct Dom {
    pub root: Element,
    pub namespaces: Vec<(String, String)>,
}

impl Element {
    /// The first unqualified child with this local name.
    pub fn child(&self, local: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.ns.is_none() && c.local == local)
    }

    /// The value of an unqualified attribute.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_none() && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// Whether `xsi:nil="true"` is set.
    pub fn is_nil(&self) -> bool {
        self.attrs.iter().any(|a| {
            a.ns.as_deref() == Some(super::vocab::XSI)
                && a.local == "nil"
                && a.value.trim() == "true"
        })
    }

    /// The name as written, `prefix:local` or `local`.
    pub fn qname(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.local),
            None => self.local.clone(),
        }
    }
}

fn line_at(input: &str, pos: u64) -> usize {
    let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(input.len());
    input.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Parses `xml` into a tree, refusing DTDs with an internal subset and deep nesting.
pub(crate) fn parse(xml: &[u8]) -> Result<Dom, XmlError> {
    let xml = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml);
    let input = std::str::from_utf8(xml).map_err(|e| XmlError::NotUtf8 {
        line: line_at(
            &String::from_utf8_lossy(&xml[..e.valid_up_to()]),
            e.valid_up_to() as u64,
        ),
    })?;
    let mut reader = NsReader::from_str(input);
    let mut stack: Vec<Element> = Vec::new();
    let mut namespaces: Vec<(String, String)> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let start_pos = reader.buffer_position();
        let syntax = |reader: &NsReader<&[u8]>, e: quick_xml::Error| XmlError::Syntax {
            line: line_at(input, reader.error_position()),
            message: e.to_string(),
        };
        let (resolved, event) = match reader.read_resolved_event() {
            Ok((r, ev)) => (own(r), ev),
            Err(e) => return Err(syntax(&reader, e)),
        };
        let line = || line_at(input, start_pos);
        match event {
            Event::Start(ref s) | Event::Empty(ref s) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep {
                        line: line(),
                        limit: MAX_DEPTH,
                    });
                }
                if root.is_some() {
                    return Err(XmlError::Syntax {
                        line: line(),
                        message: "content after the root element".into(),
                    });
                }
                let el = element(&reader, resolved, s, line(), &mut namespaces)?;
                if matches!(event, Event::Start(_)) {
                    stack.push(el);
                } else {
                    close(&mut stack, &mut root, el);
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(XmlError::Syntax {
                        line: line(),
                        message: "end tag without a start tag".into(),
                    });
                };
                close(&mut stack, &mut root, el);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                push_text(&mut stack, &text, line())?;
            }
            Event::CData(t) => {
                let text = t.xml10_content();
                push_text(&mut stack, &text, line())?;
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match predefined(&r.xml10_content()) {
                        Some(c) => c.to_string(),
                        None => {
                            return Err(XmlError::Entity {
                                line: line(),
                                name: r.xml10_content().into_owned(),
                            });
                        }
                    },
                    Err(e) => return Err(syntax(&reader, e)),
                };
                push_text(&mut stack, &ch, line())?;
            }
            Event::DocType(d) => {
                // A bare `<!DOCTYPE name>` (GS1's own examples carry `<!DOCTYPE project>`)
                // declares nothing; an internal subset or external id could declare or load
                // entities, which is how XXE and billion-laughs attacks start.
                let body = d.xml10_content();
                if body.contains('[') || body.contains("SYSTEM") || body.contains("PUBLIC") {
                    return Err(XmlError::Doctype { line: line() });
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Syntax {
            line: line_at(input, input.len() as u64),
            message: "unexpected end of document".into(),
        });
    }
    let root = root.ok_or(XmlError::Syntax {
        line: 1,
        message: "no root element".into(),
    })?;
    Ok(Dom { root, namespaces })
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

fn push_text(stack: &mut [Element], text: &str, line: usize) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(el) => {
            el.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(XmlError::Syntax {
            line,
            message: "text outside the root element".into(),
        }),
    }
}

fn close(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

enum Resolved {
    Unbound,
    Bound(String),
    Unknown(String),
}

fn own(r: ResolveResult<'_>) -> Resolved {
    match r {
        ResolveResult::Unbound => Resolved::Unbound,
        ResolveResult::Bound(ns) => Resolved::Bound(ns.as_ref().to_owned()),
        ResolveResult::Unknown(p) => Resolved::Unknown(p),
    }
}

fn element(
    reader: &NsReader<&[u8]>,
    resolved: Resolved,
    start: &BytesStart<'_>,
    line: usize,
    namespaces: &mut Vec<(String, String)>,
) -> Result<Element, XmlError> {
    let name = start.name();
    let ns = match resolved {
        Resolved::Unbound => None,
        Resolved::Bound(ns) => Some(ns),
        Resolved::Unknown(prefix) => return Err(XmlError::UndeclaredPrefix { line, prefix }),
    };
    let mut el = Element {
        ns,
        prefix: name.prefix().map(|p| p.as_ref().to_owned()),
        local: name.local_name().as_ref().to_owned(),
        attrs: Vec::new(),
        children: Vec::new(),
        text: String::new(),
        line,
    };
    for attr in start.attributes() {
        let attr = attr.map_err(|e| XmlError::Syntax {
            line,
            message: e.to_string(),
        })?;
        let key = attr.key.as_ref();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| XmlError::Syntax {
                line,
                message: e.to_string(),
            })?
            .into_owned();
        if key == "xmlns" {
            continue;
        }
        if let Some(prefix) = key.strip_prefix("xmlns:") {
            if !namespaces.iter().any(|(p, u)| p == prefix && *u == value) {
                namespaces.push((prefix.to_owned(), value));
            }
            continue;
        }
        let (res, local) = reader.resolver().resolve_attribute(attr.key);
        let ns = match res {
            ResolveResult::Unbound => None,
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_owned()),
            ResolveResult::Unknown(prefix) => {
                return Err(XmlError::UndeclaredPrefix { line, prefix });
            }
        };
        el.attrs.push(Attr {
            ns,
            prefix: attr.key.prefix().map(|p| p.as_ref().to_owned()),
            local: local.as_ref().to_owned(),
            value,
        });
    }
    Ok(el)
}
