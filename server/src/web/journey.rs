//! The journey section of the consumer page: the public summary of where the item or lot went
//! (dates, steps, countries), never the partners or places.

use maud::{Markup, html};

use super::i18n::{Lang, Msg};

/// One step of the journey, as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JourneyStep {
    /// The day (`YYYY-MM-DD`, in the event's own offset).
    pub date: String,
    /// The CBV business step, if the event gave one.
    pub biz_step: Option<String>,
    /// The country (ISO 3166 alpha-2), if known.
    pub country: Option<String>,
}

/// The section, or nothing when no step is known.
pub fn section(lang: Lang, steps: &[JourneyStep]) -> Markup {
    html! {
        @if !steps.is_empty() {
            section.card.journey data-testid="journey" {
                h2 { (lang.t(Msg::Journey)) }
                ol {
                    @for s in steps {
                        li {
                            span.date { (s.date) }
                            " "
                            @match &s.biz_step {
                                Some(b) => { strong { (lang.biz_step(b).unwrap_or(b)) } }
                                None => {}
                            }
                            @if let Some(c) = &s.country {
                                " · " (lang.country(c).unwrap_or(c))
                            }
                        }
                    }
                }
                p.note { (lang.t(Msg::JourneyNote)) }
            }
        }
    }
}
