//! Rendering a message: bracketed, human-readable (HRI) and with ASCII 29 separators.

use super::AiString;

impl AiString {
    /// The bracketed form, `(` in values escaped as `\(`, parts joined by `|`.
    pub fn to_bracketed(&self) -> String {
        let mut out = String::with_capacity(self.data.len() + 2 * self.items.len());
        for (i, e) in self.iter().enumerate() {
            if Some(i) == self.composite_at {
                out.push('|');
            }
            out.push('(');
            out.push_str(e.ai);
            out.push(')');
            if e.value.contains('(') {
                out.push_str(&e.value.replace('(', "\\("));
            } else {
                out.push_str(e.value);
            }
        }
        out
    }

    /// Human-readable lines, `(01) 09506000134352`, optionally prefixed with the AI's title.
    pub fn hri(&self, with_titles: bool) -> Vec<String> {
        self.iter()
            .map(|e| {
                if with_titles {
                    format!("{} ({}) {}", e.entry.title(), e.ai, e.value)
                } else {
                    format!("({}) {}", e.ai, e.value)
                }
            })
            .collect()
    }
}
