//! The numbers behind the clinical charts, computed once: each chart's points, caption and
//! table as the packet prints them and the app's Readings view shows them. Pure: no I/O, no
//! drawing.
//!
//! ```
//! use redress::model::{Activity, Moment, Spo2Reading};
//! let at = |t| Moment::parse(t).unwrap();
//! let spo2 = vec![
//!     Spo2Reading { at: at("2025-09-02T08:00"), percent: 84.0, activity: Activity::Rest, oxygen_lpm: 0.0, pulse: None },
//!     Spo2Reading { at: at("2025-09-03T08:00"), percent: 93.0, activity: Activity::Rest, oxygen_lpm: 2.0, pulse: None },
//! ];
//! let chart = redress::readings::spo2_chart(&spo2).unwrap();
//! assert_eq!(chart.caption, "1 of 2 readings ≤ 88 %; lowest 84 % at rest on room air, 2025-09-02");
//! ```

use crate::model::{Activity, Case, MobilityScore, Spo2Reading, WoundMeasurement};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The saturation at or below which home oxygen qualifies (CMS NCD 240.2).
pub const QUALIFYING_SPO2: f64 = 88.0;

/// Every chart a case's readings give, in the order the packet draws them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReadingCharts {
    /// SpO2 over time; none without readings.
    pub spo2: Option<Chart>,
    /// One chart per wound site, in the order the sites first appear.
    pub wounds: Vec<Chart>,
    /// One chart per instrument and unit, in the order they first appear.
    pub mobility: Vec<Chart>,
}

impl ReadingCharts {
    /// Every chart, SpO2 first.
    pub fn all(&self) -> impl Iterator<Item = &Chart> {
        self.spo2.iter().chain(&self.wounds).chain(&self.mobility)
    }

    pub fn is_empty(&self) -> bool {
        self.all().next().is_none()
    }
}

/// How a point is marked, so that kinds differ by shape and not by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Marker {
    Circle,
    Triangle,
    Square,
    Diamond,
}

/// One reading on a chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ChartPoint {
    /// Where it sits on the time axis.
    #[serde(skip)]
    #[cfg_attr(feature = "typescript", ts(skip))]
    pub when: NaiveDateTime,
    /// As written: `2025-09-02 08:00`, or the date alone.
    pub at: String,
    pub value: f64,
    pub marker: Marker,
    /// Hollow marks a reading on supplemental oxygen; solid, room air (and every point of
    /// charts without that distinction).
    pub filled: bool,
    /// Written beside the point: the oxygen flow ("2 L/min").
    pub note: Option<String>,
}

/// A line across the chart at a value that matters, with its label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Threshold {
    pub value: f64,
    pub label: String,
}

/// A marker and what it means, for the chart's key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct LegendEntry {
    pub marker: Marker,
    pub filled: bool,
    pub label: String,
}

/// One chart: what it shows, its points in time order, the sentence that sums it up and the
/// numbers printed beneath it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Chart {
    pub title: String,
    /// The value axis's unit ("%", "cm²", "m").
    pub unit: String,
    pub points: Vec<ChartPoint>,
    pub threshold: Option<Threshold>,
    /// The lowest and highest values the value axis must show, whatever the readings.
    pub floor: Option<f64>,
    pub ceiling: Option<f64>,
    pub legend: Vec<LegendEntry>,
    /// Points evenly spaced in time order rather than by elapsed time: spot checks come in
    /// sessions minutes apart, days or weeks from each other, and would otherwise sit on top
    /// of each other.
    pub in_order: bool,
    pub caption: String,
    pub columns: Vec<String>,
    /// The table's cells, one row per point, already written as people read them.
    pub rows: Vec<Vec<String>>,
}

/// The charts of a case's readings.
pub fn charts(case: &Case) -> ReadingCharts {
    ReadingCharts { spo2: spo2_chart(&case.spo2), wounds: wound_charts(&case.wounds), mobility: mobility_charts(&case.mobility) }
}

/// A number as people write it: at most `places` decimals, no trailing zeros.
fn number(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".into()
    } else {
        s.replace('-', "−")
    }
}

/// The change from `first` to `last` in whole per cent, signed; none when `first` is zero.
fn change_percent(first: f64, last: f64) -> Option<f64> {
    (first != 0.0).then(|| ((last - first) / first * 100.0).round())
}

fn signed_percent(p: f64) -> String {
    if p > 0.0 {
        format!("+{} %", number(p, 0))
    } else {
        format!("{} %", number(p, 0))
    }
}

/// Sorts by time, ties in the order given (readings entered out of order still draw left to right).
fn in_time_order<T>(items: &[T], at: impl Fn(&T) -> crate::model::Moment) -> Vec<&T> {
    let mut v: Vec<&T> = items.iter().collect();
    v.sort_by_key(|i| at(i).local);
    v
}

fn activity_marker(a: Activity) -> Marker {
    match a {
        Activity::Rest => Marker::Circle,
        Activity::Exertion => Marker::Triangle,
        Activity::Sleep => Marker::Square,
    }
}

/// "at rest", "on exertion", "during sleep".
fn activity_phrase(a: Activity) -> &'static str {
    match a {
        Activity::Rest => "at rest",
        Activity::Exertion => "on exertion",
        Activity::Sleep => "during sleep",
    }
}

fn oxygen(r: &Spo2Reading) -> String {
    if r.oxygen_lpm > 0.0 {
        format!("{} L/min", number(r.oxygen_lpm, 1))
    } else {
        "room air".into()
    }
}

/// Whether a reading was taken breathing room air (no supplemental oxygen).
pub fn on_room_air(r: &Spo2Reading) -> bool {
    r.oxygen_lpm <= 0.0
}

/// Whether a reading is at or below the qualifying saturation on room air, the test home
/// oxygen's coverage asks for.
pub fn qualifies(r: &Spo2Reading) -> bool {
    on_room_air(r) && r.percent <= QUALIFYING_SPO2
}

/// One reading as the charts' captions write it: "84 % during sleep on room air, 2025-09-02".
pub fn spo2_phrase(r: &Spo2Reading) -> String {
    format!("{} % {} on {}, {}", number(r.percent, 1), activity_phrase(r.activity), oxygen(r), r.at.date())
}

/// One wound measurement as the wound charts' tables write it: "sacrum 4 × 3 × 0.5 cm, stage 3,
/// 2025-09-02".
pub fn wound_phrase(w: &WoundMeasurement) -> String {
    let depth = w.depth_cm.map(|d| format!(" × {}", number(d, 1))).unwrap_or_default();
    let stage = w.stage.as_deref().map(|s| format!(", stage {s}")).unwrap_or_default();
    format!("{} {} × {}{depth} cm{stage}, {}", w.site.trim(), number(w.length_cm, 1), number(w.width_cm, 1), w.at.date())
}

/// SpO2 over time, marked by activity and by room air or supplemental oxygen, with the
/// qualifying line; none without readings.
pub fn spo2_chart(readings: &[Spo2Reading]) -> Option<Chart> {
    let sorted = in_time_order(readings, |r| r.at);
    let lowest = sorted.iter().copied().min_by(|a, b| a.percent.total_cmp(&b.percent))?;
    let qualifying = sorted.iter().filter(|r| r.percent <= QUALIFYING_SPO2).count();
    let caption = format!("{qualifying} of {} readings ≤ {} %; lowest {}", sorted.len(), number(QUALIFYING_SPO2, 1), spo2_phrase(lowest));
    let points = sorted
        .iter()
        .map(|r| ChartPoint {
            when: r.at.local,
            at: r.at.display_short(),
            value: r.percent,
            marker: activity_marker(r.activity),
            filled: r.oxygen_lpm <= 0.0,
            note: (r.oxygen_lpm > 0.0).then(|| oxygen(r)),
        })
        .collect();
    let rows = sorted
        .iter()
        .map(|r| {
            vec![
                r.at.display_short(),
                format!("{} %", number(r.percent, 1)),
                r.activity.label().to_string(),
                oxygen(r),
                r.pulse.map(|p| p.to_string()).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    let mut legend: Vec<LegendEntry> =
        Activity::ALL.iter().map(|&a| LegendEntry { marker: activity_marker(a), filled: true, label: a.label().to_string() }).collect();
    legend.push(LegendEntry { marker: Marker::Circle, filled: true, label: "solid: room air".into() });
    legend.push(LegendEntry { marker: Marker::Circle, filled: false, label: "hollow: on oxygen".into() });
    Some(Chart {
        title: "Oxygen saturation (SpO2)".into(),
        unit: "%".into(),
        points,
        threshold: Some(Threshold { value: QUALIFYING_SPO2, label: format!("{} % qualifying", number(QUALIFYING_SPO2, 1)) }),
        floor: Some(80.0),
        ceiling: Some(100.0),
        legend,
        in_order: true,
        caption,
        columns: ["When", "SpO2", "Activity", "Oxygen", "Pulse"].map(String::from).to_vec(),
        rows,
    })
}

/// One reading as a letter states it: `86 % at rest on room air`, in the caption's words
/// (without the date, which the letter places itself).
pub fn spo2_finding(r: &Spo2Reading) -> String {
    format!("{} % {} on {}", number(r.percent, 1), activity_phrase(r.activity), oxygen(r))
}

/// The readings at or below the qualifying saturation, in time order (those the caption counts).
pub fn qualifying_spo2(readings: &[Spo2Reading]) -> Vec<&Spo2Reading> {
    in_time_order(readings, |r| r.at).into_iter().filter(|r| r.percent <= QUALIFYING_SPO2).collect()
}

/// Groups items by a name, in the order each name first appears.
fn grouped<T>(items: &[T], name: impl Fn(&T) -> String) -> Vec<(String, Vec<&T>)> {
    let mut groups: Vec<(String, Vec<&T>)> = Vec::new();
    for item in items {
        let n = name(item);
        match groups.iter_mut().find(|(g, _)| *g == n) {
            Some((_, list)) => list.push(item),
            None => groups.push((n, vec![item])),
        }
    }
    groups
}

/// Wound area (length × width) over time, one chart per site, each row with its change since
/// the site's first measurement.
pub fn wound_charts(wounds: &[WoundMeasurement]) -> Vec<Chart> {
    grouped(wounds, |w| w.site.trim().to_string()).into_iter().map(|(site, list)| wound_chart(&site, &list)).collect()
}

fn area(w: &WoundMeasurement) -> f64 {
    // Rounded as printed, so the per cent changes agree with the areas in the table.
    (w.length_cm * w.width_cm * 100.0).round() / 100.0
}

fn wound_chart(site: &str, list: &[&WoundMeasurement]) -> Chart {
    let sorted = in_time_order(list, |w| w.at);
    let first = area(sorted[0]);
    let last = sorted[sorted.len() - 1];
    let site = if site.is_empty() { "unnamed site" } else { site };
    let change = |w: &WoundMeasurement| change_percent(first, area(w));
    let caption = if sorted.len() == 1 {
        format!("{site}: {} cm² on {}; one measurement", number(first, 2), sorted[0].at.date())
    } else {
        let moved = match change(last) {
            Some(p) => format!(" ({} since the first)", signed_percent(p)),
            None => String::new(),
        };
        format!("{site}: {} cm² on {} to {} cm² on {}{moved}", number(first, 2), sorted[0].at.date(), number(area(last), 2), last.at.date())
    };
    let rows = sorted
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let dims = match w.depth_cm {
                Some(d) => format!("{} × {} × {}", number(w.length_cm, 2), number(w.width_cm, 2), number(d, 2)),
                None => format!("{} × {}", number(w.length_cm, 2), number(w.width_cm, 2)),
            };
            let since = if i == 0 { "first".into() } else { change(w).map(signed_percent).unwrap_or_else(|| "—".into()) };
            vec![w.at.display_short(), dims, number(area(w), 2), since, w.stage.clone().unwrap_or_else(|| "—".into())]
        })
        .collect();
    Chart {
        title: format!("Wound area · {site}"),
        unit: "cm²".into(),
        points: sorted.iter().map(|w| plain_point(w.at, area(w))).collect(),
        threshold: None,
        floor: Some(0.0),
        ceiling: None,
        legend: Vec::new(),
        in_order: false,
        caption,
        columns: ["When", "L × W (× D) cm", "Area cm²", "Change", "Stage"].map(String::from).to_vec(),
        rows,
    }
}

fn plain_point(at: crate::model::Moment, value: f64) -> ChartPoint {
    ChartPoint { when: at.local, at: at.display_short(), value, marker: Marker::Circle, filled: true, note: None }
}

/// Which way is better on an instrument, where the instrument is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// The direction of the instruments people name most, matched on the name's words; `None`
/// for an instrument not known here, about which nothing is said.
pub fn better(instrument: &str) -> Option<Better> {
    let name = instrument.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["timed up and go", "tug", "five times sit", "5 times sit", "5x sit", "five-times sit"]) {
        Some(Better::Lower)
    } else if has(&["walk test", "6mwt", "6-minute", "six-minute", "6 minute", "berg", "gait speed", "chair stand", "tinetti", "barthel"]) {
        Some(Better::Higher)
    } else {
        None
    }
}

/// Mobility scores over time, one chart per instrument and unit, with the direction where it
/// is known.
pub fn mobility_charts(scores: &[MobilityScore]) -> Vec<Chart> {
    grouped(scores, |m| format!("{}\u{0}{}", m.instrument.trim(), m.unit.trim()))
        .into_iter()
        .map(|(_, list)| mobility_chart(&list))
        .collect()
}

fn mobility_chart(list: &[&MobilityScore]) -> Chart {
    let sorted = in_time_order(list, |m| m.at);
    let (first, last) = (sorted[0], sorted[sorted.len() - 1]);
    let instrument = if first.instrument.trim().is_empty() { "Score" } else { first.instrument.trim() };
    let unit = first.unit.trim();
    let value = |m: &MobilityScore| if unit.is_empty() { number(m.value, 2) } else { format!("{} {unit}", number(m.value, 2)) };
    let direction = better(instrument);
    let mut caption = if sorted.len() == 1 {
        format!("{instrument}: {} on {}; one score", value(first), first.at.date())
    } else {
        let moved = change_percent(first.value, last.value).map(|p| format!(" ({})", signed_percent(p))).unwrap_or_default();
        format!("{instrument}: {} on {} to {} on {}{moved}", value(first), first.at.date(), value(last), last.at.date())
    };
    if let Some(b) = direction {
        caption.push_str(match b {
            Better::Higher => "; higher is better",
            Better::Lower => "; lower is better",
        });
        if sorted.len() > 1 && last.value != first.value {
            let improved = (last.value > first.value) == (b == Better::Higher);
            caption.push_str(if improved { ", so this is better" } else { ", so this is worse" });
        }
    }
    let rows = sorted
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let since = if i == 0 {
                "first".into()
            } else {
                change_percent(first.value, m.value).map(signed_percent).unwrap_or_else(|| "—".into())
            };
            vec![m.at.display_short(), value(m), since]
        })
        .collect();
    Chart {
        title: if unit.is_empty() { instrument.to_string() } else { format!("{instrument} ({unit})") },
        unit: unit.to_string(),
        points: sorted.iter().map(|m| plain_point(m.at, m.value)).collect(),
        threshold: None,
        floor: None,
        ceiling: None,
        legend: Vec::new(),
        in_order: false,
        caption,
        columns: ["When", "Score", "Change"].map(String::from).to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Moment;

    fn at(t: &str) -> Moment {
        Moment::parse(t).unwrap()
    }

    fn spo2(t: &str, percent: f64, activity: Activity, oxygen_lpm: f64) -> Spo2Reading {
        Spo2Reading { at: at(t), percent, activity, oxygen_lpm, pulse: None }
    }

    /// Nine readings, four of them at or below 88 %, the lowest (84 %) at rest on room air;
    /// written out of order.
    fn nine() -> Vec<Spo2Reading> {
        use Activity::*;
        vec![
            spo2("2025-09-03T09:00", 90.0, Rest, 0.0),
            spo2("2025-09-02T08:00", 84.0, Rest, 0.0),
            spo2("2025-09-02T09:00", 86.0, Exertion, 0.0),
            spo2("2025-09-02T23:00", 88.0, Sleep, 0.0),
            spo2("2025-09-03T10:00", 87.0, Exertion, 0.0),
            spo2("2025-09-04T08:00", 93.0, Rest, 2.0),
            spo2("2025-09-04T09:00", 91.0, Exertion, 2.0),
            spo2("2025-09-04T23:00", 94.0, Sleep, 2.0),
            spo2("2025-09-05T08:00", 89.0, Rest, 0.0),
        ]
    }

    #[test]
    fn the_spo2_caption_counts_readings_at_or_below_88_and_names_the_lowest() {
        let c = spo2_chart(&nine()).unwrap();
        assert_eq!(c.caption, "4 of 9 readings ≤ 88 %; lowest 84 % at rest on room air, 2025-09-02");
        assert_eq!(c.threshold.as_ref().unwrap().value, 88.0);
        assert_eq!(c.threshold.as_ref().unwrap().label, "88 % qualifying");
    }

    #[test]
    fn spo2_rows_are_in_time_order_with_activity_and_oxygen() {
        let c = spo2_chart(&nine()).unwrap();
        assert_eq!(c.rows[0], ["2025-09-02 08:00", "84 %", "Rest", "room air", "—"]);
        assert_eq!(c.rows[5], ["2025-09-04 08:00", "93 %", "Rest", "2 L/min", "—"]);
        let values: Vec<f64> = c.points.iter().map(|p| p.value).collect();
        assert_eq!(values, [84.0, 86.0, 88.0, 90.0, 87.0, 93.0, 91.0, 94.0, 89.0]);
        // Rest, exertion and sleep differ by shape; oxygen by a hollow mark and its flow.
        assert_eq!((c.points[0].marker, c.points[1].marker, c.points[2].marker), (Marker::Circle, Marker::Triangle, Marker::Square));
        assert!(c.points[0].filled && !c.points[5].filled);
        assert_eq!(c.points[5].note.as_deref(), Some("2 L/min"));
    }

    #[test]
    fn no_spo2_readings_give_no_chart_and_one_reading_gives_one_point() {
        assert!(spo2_chart(&[]).is_none());
        let c = spo2_chart(&[spo2("2025-09-02", 92.5, Activity::Sleep, 1.5)]).unwrap();
        assert_eq!(c.caption, "0 of 1 readings ≤ 88 %; lowest 92.5 % during sleep on 1.5 L/min, 2025-09-02");
    }

    #[test]
    fn a_letter_states_the_qualifying_readings_in_the_captions_words() {
        let r = nine();
        let q = qualifying_spo2(&r);
        let phrases: Vec<String> = q.iter().map(|r| format!("{} on {}", spo2_finding(r), r.at.date())).collect();
        assert_eq!(
            phrases,
            [
                "84 % at rest on room air on 2025-09-02",
                "86 % on exertion on room air on 2025-09-02",
                "88 % during sleep on room air on 2025-09-02",
                "87 % on exertion on room air on 2025-09-03"
            ]
        );
        assert_eq!(spo2_finding(&r[5]), "93 % at rest on 2 L/min");
    }

    fn wound(t: &str, site: &str, l: f64, w: f64, d: Option<f64>) -> WoundMeasurement {
        WoundMeasurement { at: at(t), site: site.into(), length_cm: l, width_cm: w, depth_cm: d, stage: None }
    }

    #[test]
    fn wound_area_is_length_by_width_with_the_change_since_the_first_per_site() {
        // Left heel: 3.1 × 2.0 = 6.2 cm², then 2.5 × 2.0 = 5 cm² (−19.35 %, printed −19 %),
        // then 2.0 × 1.5 = 3 cm² (−51.6 %, −52 %). Sacrum: 1 × 1.5 = 1.5, then 2 × 1.5 = 3 (+100 %).
        let c = wound_charts(&[
            wound("2025-09-16", "left heel", 2.0, 1.5, None),
            wound("2025-09-02", "left heel", 3.1, 2.0, Some(0.4)),
            wound("2025-09-02", "sacrum", 1.0, 1.5, None),
            wound("2025-09-09", "left heel", 2.5, 2.0, Some(0.3)),
            wound("2025-09-09", "sacrum", 2.0, 1.5, None),
        ]);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].title, "Wound area · left heel");
        assert_eq!(c[0].rows[0], ["2025-09-02", "3.1 × 2 × 0.4", "6.2", "first", "—"]);
        assert_eq!(c[0].rows[1], ["2025-09-09", "2.5 × 2 × 0.3", "5", "−19 %", "—"]);
        assert_eq!(c[0].rows[2], ["2025-09-16", "2 × 1.5", "3", "−52 %", "—"]);
        assert_eq!(c[0].caption, "left heel: 6.2 cm² on 2025-09-02 to 3 cm² on 2025-09-16 (−52 % since the first)");
        assert_eq!(c[1].caption, "sacrum: 1.5 cm² on 2025-09-02 to 3 cm² on 2025-09-09 (+100 % since the first)");
    }

    #[test]
    fn a_wound_first_measured_at_zero_has_no_per_cent_change() {
        let c = wound_charts(&[wound("2025-09-02", "", 0.0, 0.0, None), wound("2025-09-09", "", 1.0, 1.0, None)]);
        assert_eq!(c[0].rows[1][3], "—");
        assert_eq!(c[0].caption, "unnamed site: 0 cm² on 2025-09-02 to 1 cm² on 2025-09-09");
    }

    fn score(t: &str, instrument: &str, value: f64, unit: &str) -> MobilityScore {
        MobilityScore { at: at(t), instrument: instrument.into(), value, unit: unit.into() }
    }

    #[test]
    fn mobility_says_which_way_is_better_only_where_the_instrument_is_known() {
        // TUG 24 s → 20 s: −16.7 %, printed −17 %; lower is better, so better.
        // 6MWT 280 m → 210 m: −25 %; higher is better, so worse. Grip strength: no direction.
        let c = mobility_charts(&[
            score("2025-09-09", "Timed Up and Go", 20.0, "s"),
            score("2025-09-02", "Timed Up and Go", 24.0, "s"),
            score("2025-08-01", "6-minute walk test", 280.0, "m"),
            score("2025-09-01", "6-minute walk test", 210.0, "m"),
            score("2025-09-01", "Grip strength", 20.0, "kg"),
            score("2025-09-08", "Grip strength", 22.0, "kg"),
        ]);
        assert_eq!(c[0].caption, "Timed Up and Go: 24 s on 2025-09-02 to 20 s on 2025-09-09 (−17 %); lower is better, so this is better");
        assert_eq!(c[0].rows[1], ["2025-09-09", "20 s", "−17 %"]);
        assert_eq!(
            c[1].caption,
            "6-minute walk test: 280 m on 2025-08-01 to 210 m on 2025-09-01 (−25 %); higher is better, so this is worse"
        );
        assert_eq!(c[2].caption, "Grip strength: 20 kg on 2025-09-01 to 22 kg on 2025-09-08 (+10 %)");
        assert_eq!(c[2].title, "Grip strength (kg)");
    }

    #[test]
    fn equal_values_and_one_score_are_charted_without_a_direction_of_change() {
        let c = mobility_charts(&[score("2025-09-02", "TUG", 12.0, "s"), score("2025-09-09", "TUG", 12.0, "s")]);
        assert_eq!(c[0].caption, "TUG: 12 s on 2025-09-02 to 12 s on 2025-09-09 (0 %); lower is better");
        let one = mobility_charts(&[score("2025-09-02", "Berg Balance Scale", 41.0, "points")]);
        assert_eq!(one[0].caption, "Berg Balance Scale: 41 points on 2025-09-02; one score; higher is better");
    }

    #[test]
    fn scores_with_another_unit_are_their_own_chart() {
        let c = mobility_charts(&[score("2025-09-02", "Gait speed", 0.6, "m/s"), score("2025-09-03", "Gait speed", 60.0, "cm/s")]);
        assert_eq!(c.len(), 2);
    }
}
