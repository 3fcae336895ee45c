//! The "Coverage criteria" page (`--checklist`): each item of the case's checklist with its
//! status word (Met, Gap, Contradicted — words, so black and white or a fax still says it),
//! the criterion, what meets or fails it with each exhibit's Bates pages, and its citation.

use super::canvas::{Canvas, ACCENT, ALERT, BLACK, GREY, RULE};
use super::flow::{Flow, Span};
use super::font::{Face, Metrics};
use crate::checklist::{Evaluation, Status};

/// Where the criterion starts: the status word sits in the column before it.
const INDENT: f64 = 92.0;
const SIZE: f64 = 9.5;

/// The section's pages.
pub fn pages(fonts: &Metrics, evaluation: &Evaluation) -> Vec<Canvas> {
    let mut flow = Flow::new(fonts, Some("Coverage criteria".into()));
    flow.title("Coverage criteria");
    let heading = format!("{}: {}", evaluation.service_label, evaluation.summary());
    flow.paragraph(&[Span::new(heading, Face::Bold)], 11.0, 0.0, None, BLACK);
    flow.gap(4.0);
    let key = "What a reviewer looks for, each with the rule it comes from. Met: the exhibit, reading or fact named meets it. \
               Gap: nothing in the packet meets it yet. Contradicted: a reading or fact fails it.";
    flow.paragraph(&[Span::new(key, Face::Regular)], 8.5, 0.0, None, GREY);
    flow.gap(10.0);
    for item in &evaluation.items {
        let leading = SIZE * 1.38;
        flow.need(leading * 4.0);
        let page = flow.pages.len() - 1;
        let first_line = flow.y - leading;
        let color = match item.status {
            Status::Met => ACCENT,
            Status::Gap => BLACK,
            Status::Contradicted => ALERT,
        };
        let left = flow.left;
        flow.pages[page].text(Face::Bold, SIZE, left, first_line, color, item.status.word());
        flow.paragraph(&[Span::new(item.criterion.clone(), Face::Bold)], SIZE, INDENT, None, BLACK);
        // The notes name case.toml's keys in backticks for the command line; on paper, plain.
        flow.paragraph(&[Span::new(item.note.replace('`', ""), Face::Regular)], SIZE, INDENT, None, BLACK);
        for e in &item.evidence {
            let spans = match &e.exhibit {
                Some(x) => vec![Span::new(x.cited.clone(), Face::Bold), Span::new(format!(": {}", e.text), Face::Regular)],
                None => vec![Span::new(e.text.clone(), Face::Regular)],
            };
            let mut spans = spans;
            if e.stated {
                spans.push(Span::new(" (stated)", Face::Regular));
            }
            flow.paragraph(&spans, 9.0, INDENT + 12.0, Some("–"), BLACK);
        }
        flow.paragraph(&[Span::new(format!("{} — {}", item.citation, item.source), Face::Regular)], 8.0, INDENT, None, GREY);
        flow.gap(6.0);
        let (l, r, y) = (flow.left, flow.right, flow.y);
        let page = flow.pages.len() - 1;
        flow.pages[page].line(l, y, r, y, 0.5, RULE);
        flow.gap(8.0);
    }
    flow.finish()
}
