//! The cases as the app works with them: the case list with each case's next deadline, a
//! case's working view, and the edits the app makes, all on top of the store.

pub mod views;

pub use views::*;

/// The TypeScript declarations of every type the app's IPC carries, in dependency order.
#[cfg(feature = "typescript")]
pub fn typescript_types() -> String {
    use crate::casefile::*;
    use ts_rs::TS;
    let cfg = ts_rs::Config::default();
    let decls = [
        CaseInfoDoc::decl(&cfg), MemberDoc::decl(&cfg), ProviderDoc::decl(&cfg), SubmitterDoc::decl(&cfg), ExhibitDoc::decl(&cfg),
        EventDoc::decl(&cfg), Spo2Doc::decl(&cfg), WoundDoc::decl(&cfg), MobilityDoc::decl(&cfg), SubmissionDoc::decl(&cfg),
        CaseDoc::decl(&cfg), CaseOverview::decl(&cfg), DeadlineView::decl(&cfg), MissedPromiseView::decl(&cfg), LadderStep::decl(&cfg),
        ExhibitInfo::decl(&cfg), CaseDetail::decl(&cfg), PacketView::decl(&cfg), SectionView::decl(&cfg), RuleView::decl(&cfg),
        ProgressView::decl(&cfg), ProblemView::decl(&cfg), AppError::decl(&cfg),
    ];
    decls.iter().map(|d| format!("export {d}\n")).collect()
}

#[cfg(all(test, feature = "typescript"))]
mod tests {
    #[test]
    fn print_types() {
        println!("{}", super::typescript_types());
    }
}
