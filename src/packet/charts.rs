//! The clinical charts section drawn: each chart of [`crate::readings`] as vector marks on
//! dated axes, its caption above and its numbers in a table beneath. The numbers themselves
//! come from `readings`; this module only places them. Marks differ by shape and fill as well
//! as colour, so a fax or a black-and-white copy still tells them apart.

use super::canvas::{fit, wrap, Canvas, Color, Marker, ACCENT, ALERT, BLACK, GREY, RULE, SHADE};
use super::flow::Flow;
use super::font::{Face, Metrics};
use crate::readings::{Chart, ReadingCharts};
use chrono::{Duration, NaiveDateTime, NaiveTime};

/// The plot area's height, and the room its axis labels take on each side.
const PLOT_H: f64 = 170.0;
const Y_LABELS: f64 = 34.0;
const X_LABELS: f64 = 22.0;
const MARK_R: f64 = 3.6;
const TABLE_SIZE: f64 = 8.0;
const ROW_H: f64 = 11.0;
/// The grid: light enough that fax mode drops it (see `fax::content`), leaving the marks and
/// the 88 % line alone on the plot.
const GRID: Color = Color(0.86, 0.87, 0.89);

/// The pages of the clinical charts section; none when the case has no readings.
pub fn charts(fonts: &Metrics, charts: &ReadingCharts) -> Vec<Canvas> {
    if charts.is_empty() {
        return Vec::new();
    }
    let mut flow = Flow::new(fonts, Some("Clinical charts".into()));
    flow.title("Clinical charts");
    for chart in charts.all() {
        draw_chart(&mut flow, chart);
        flow.gap(18.0);
    }
    flow.finish()
}

/// What colour marks an SpO2 point of each shape; other charts use the accent alone.
fn mark_color(m: Marker) -> Color {
    match m {
        Marker::Circle => ACCENT,
        Marker::Triangle => ALERT,
        Marker::Square => Color(0.36, 0.20, 0.55),
        Marker::Diamond => BLACK,
    }
}

fn draw_chart(flow: &mut Flow, chart: &Chart) {
    let caption = wrap(flow.fonts, Face::Bold, 9.5, flow.width(), &chart.caption);
    let legend_h = if chart.legend.is_empty() { 0.0 } else { 14.0 };
    let head_h = 16.0 + caption.len() as f64 * 12.5 + legend_h + 14.0;
    let first_rows = chart.rows.len().min(3) as f64;
    flow.need(head_h + PLOT_H + X_LABELS + 8.0 + ROW_H * (1.0 + first_rows));
    flow.y -= 12.0;
    let (l, r) = (flow.left, flow.right);
    let page = flow.pages.len() - 1;
    flow.pages[page].text(Face::Bold, 11.0, l, flow.y, ACCENT, &chart.title);
    for line in &caption {
        flow.y -= 12.5;
        flow.pages[page].text(Face::Bold, 9.5, l, flow.y, BLACK, line);
    }
    if !chart.legend.is_empty() {
        flow.y -= 14.0;
        legend(flow.fonts, &mut flow.pages[page], chart, l, flow.y);
    }
    flow.y -= 14.0;
    let unit = if chart.unit.is_empty() { "score".to_string() } else { chart.unit.clone() };
    flow.pages[page].text(Face::Regular, 7.5, l, flow.y, GREY, &unit);
    // A threshold's label is set to the right of the plot.
    let right = if chart.threshold.is_some() { r - 70.0 } else { r - 8.0 };
    let area = Area { left: l + Y_LABELS, right, top: flow.y - 4.0, bottom: flow.y - 4.0 - PLOT_H };
    plot(flow.fonts, &mut flow.pages[page], chart, &area);
    flow.y = area.bottom - X_LABELS - 8.0;
    table(flow, chart);
}

/// A key of the marks: shape and fill, each with what it means.
fn legend(fonts: &Metrics, c: &mut Canvas, chart: &Chart, left: f64, y: f64) {
    let mut x = left + MARK_R;
    for entry in &chart.legend {
        let color = if entry.filled { mark_color(entry.marker) } else { GREY };
        c.marker(entry.marker, x, y + 3.0, MARK_R, color, entry.filled);
        c.text(Face::Regular, 8.0, x + MARK_R + 3.0, y, BLACK, &entry.label);
        x += MARK_R * 2.0 + 14.0 + fonts.width(Face::Regular, &entry.label, 8.0);
    }
}

/// The plot's rectangle on the page.
struct Area {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Area {
    fn x(&self, t: f64, (t0, t1): (f64, f64)) -> f64 {
        self.left + (t - t0) / (t1 - t0) * (self.right - self.left)
    }
    fn y(&self, v: f64, (v0, v1): (f64, f64)) -> f64 {
        self.bottom + (v - v0) / (v1 - v0) * (self.top - self.bottom)
    }
}

fn seconds(t: NaiveDateTime) -> f64 {
    t.and_utc().timestamp() as f64
}

fn plot(fonts: &Metrics, c: &mut Canvas, chart: &Chart, a: &Area) {
    let (v0, v1, step) = value_axis(chart);
    // Counted, not stepped, so a step below the values' precision cannot loop for ever.
    let ticks = (((v1 - v0) / step).round() as usize).min(20);
    for i in 0..=ticks {
        let v = v0 + i as f64 * step;
        let y = a.y(v, (v0, v1));
        c.line(a.left, y, a.right, y, 0.4, GRID);
        c.text_right(fonts, Face::Regular, 7.5, a.left - 4.0, y - 2.5, GREY, &label(v, step));
    }
    let (xs, ticks) = if chart.in_order { in_order_axis(chart, a) } else { time_axis(chart, a) };
    for (x, first, second) in ticks {
        c.line(x, a.bottom, x, a.bottom - 3.0, 0.5, GREY);
        c.text_center(fonts, Face::Regular, 7.0, x, a.bottom - 11.0, GREY, &first);
        if let Some(second) = second {
            c.text_center(fonts, Face::Regular, 7.0, x, a.bottom - 19.0, GREY, &second);
        }
    }
    c.line(a.left, a.bottom, a.right, a.bottom, 0.6, BLACK);
    c.line(a.left, a.bottom, a.left, a.top, 0.6, BLACK);
    if let Some(th) = &chart.threshold {
        let y = a.y(th.value, (v0, v1));
        c.polyline(vec![(a.left, y), (a.right, y)], 1.0, ALERT, Some((4.0, 2.5)));
        // Outside the plot, where no point can cover it.
        c.text(Face::Bold, 7.5, a.right + 4.0, y - 2.5, ALERT, &th.label);
    }
    let spots: Vec<(f64, f64)> = chart.points.iter().zip(&xs).map(|(p, &x)| (x, a.y(p.value, (v0, v1)))).collect();
    let marked_by_activity = !chart.legend.is_empty();
    if !marked_by_activity {
        c.polyline(spots.clone(), 1.0, ACCENT, None);
    }
    for (p, &(x, y)) in chart.points.iter().zip(&spots) {
        let color = if marked_by_activity { mark_color(p.marker) } else { ACCENT };
        c.marker(p.marker, x, y, MARK_R, color, p.filled);
        if let Some(note) = &p.note {
            c.text(Face::Regular, 6.5, x + MARK_R + 2.0, y - 2.0, GREY, note);
        }
    }
}

/// A tick of the time axis: where, and its one or two lines of label.
type Tick = (f64, String, Option<String>);

/// Points evenly spaced: each labelled with its time where there is room, the date under the
/// first point of each day.
fn in_order_axis(chart: &Chart, a: &Area) -> (Vec<f64>, Vec<Tick>) {
    let n = chart.points.len().max(1) as f64;
    let slot = (a.right - a.left) / n;
    let xs: Vec<f64> = (0..chart.points.len()).map(|i| a.left + (i as f64 + 0.5) * slot).collect();
    let mut ticks = Vec::new();
    let mut last_day = None;
    for (p, &x) in chart.points.iter().zip(&xs) {
        let day = p.when.date();
        let new_day = last_day != Some(day);
        last_day = Some(day);
        let time = (p.at.len() > 10 && slot >= 26.0).then(|| p.when.format("%H:%M").to_string());
        match (time, new_day) {
            (Some(t), true) => ticks.push((x, t, Some(day.to_string()))),
            (Some(t), false) => ticks.push((x, t, None)),
            (None, true) => ticks.push((x, day.to_string(), None)),
            (None, false) => {}
        }
    }
    // Dates too close to read are thinned, keeping the first.
    let mut kept: Vec<Tick> = Vec::new();
    for t in ticks {
        let dated = |t: &Tick| t.2.is_some() || !t.1.contains(':');
        if dated(&t) && kept.iter().rev().find(|k| dated(k)).is_some_and(|k| t.0 - k.0 < 40.0) {
            if t.1.contains(':') && slot >= 26.0 {
                kept.push((t.0, t.1, None));
            }
            continue;
        }
        kept.push(t);
    }
    (xs, kept)
}

/// Points placed by elapsed time, with ticks on round dates or hours.
fn time_axis(chart: &Chart, a: &Area) -> (Vec<f64>, Vec<Tick>) {
    let times = time_domain(chart);
    let xs = chart.points.iter().map(|p| a.x(seconds(p.when), times)).collect();
    let ticks = time_ticks(times).into_iter().map(|(t, first, second)| (a.x(t, times), first, second)).collect();
    (xs, ticks)
}

/// The value axis: its ends and tick step, round numbers that hold every point, the
/// threshold and the chart's floor and ceiling.
fn value_axis(chart: &Chart) -> (f64, f64, f64) {
    let values =
        chart.points.iter().map(|p| p.value).chain(chart.threshold.iter().map(|t| t.value)).chain(chart.floor).chain(chart.ceiling);
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    // Values equal to within their precision are drawn as one level with room around it.
    if hi - lo <= 1e-9 * hi.abs().max(lo.abs()).max(1.0) {
        let pad = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1.0 };
        (lo, hi) = (lo - pad, hi + pad);
        if chart.floor == Some(0.0) {
            lo = lo.max(0.0);
        }
    }
    let raw = (hi - lo) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    ((lo / step).floor() * step, (hi / step).ceil() * step, step)
}

fn label(v: f64, step: f64) -> String {
    let places = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize + 1 };
    let s = format!("{:.*}", places, v);
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// The time axis's ends in seconds, padded so no mark sits on an axis; a single moment is
/// centred in a day.
fn time_domain(chart: &Chart) -> (f64, f64) {
    let times: Vec<f64> = chart.points.iter().map(|p| seconds(p.when)).collect();
    let lo = times.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = times.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        return (0.0, 86_400.0);
    }
    let pad = ((hi - lo) * 0.05).max(43_200.0);
    (lo - pad, hi + pad)
}

/// Ticks on round local times, at most about six: whole days over long spans (the date),
/// hours within a day or two (the time under its date, the date only where it changes).
fn time_ticks((t0, t1): (f64, f64)) -> Vec<(f64, String, Option<String>)> {
    const HOUR: i64 = 3600;
    const DAY: i64 = 24 * HOUR;
    let steps = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 56 * DAY, 91 * DAY, 182 * DAY, 364 * DAY];
    let span = t1 - t0;
    let step = steps.iter().copied().find(|s| span / *s as f64 <= 6.0).unwrap_or(728 * DAY);
    let Some(start) = chrono::DateTime::from_timestamp(t0 as i64, 0).map(|d| d.naive_utc()) else { return Vec::new() };
    let mut t = start.date().and_time(NaiveTime::MIN);
    while seconds(t) < t0 {
        t += Duration::seconds(step);
    }
    let mut out = Vec::new();
    let mut last_day = None;
    while seconds(t) <= t1 && out.len() < 16 {
        let day = t.date().to_string();
        if step >= DAY {
            out.push((seconds(t), day.clone(), None));
        } else {
            let shown = if last_day.as_ref() != Some(&day) { day.clone() } else { String::new() };
            out.push((seconds(t), t.format("%H:%M").to_string(), Some(shown)));
        }
        last_day = Some(day);
        t += Duration::seconds(step);
    }
    out
}

/// The chart's numbers beneath it, the header repeated on each page the table reaches.
fn table(flow: &mut Flow, chart: &Chart) {
    let widths = column_widths(flow.fonts, chart, flow.width());
    let header = |flow: &mut Flow| {
        flow.y -= ROW_H;
        let (l, y, w) = (flow.left, flow.y, flow.width());
        let page = flow.pages.len() - 1;
        flow.pages[page].fill_rect(l - 3.0, y - 3.0, w + 6.0, ROW_H, SHADE);
        row(flow.fonts, &mut flow.pages[page], l, y, &widths, &chart.columns, Face::Bold);
    };
    header(flow);
    for cells in &chart.rows {
        let before = flow.pages.len();
        flow.need(ROW_H);
        if flow.pages.len() != before {
            header(flow);
        }
        flow.y -= ROW_H;
        let (l, y) = (flow.left, flow.y);
        let page = flow.pages.len() - 1;
        row(flow.fonts, &mut flow.pages[page], l, y, &widths, cells, Face::Regular);
        flow.pages[page].line(l, y - 3.0, flow.right, y - 3.0, 0.25, RULE);
    }
}

fn row(fonts: &Metrics, c: &mut Canvas, left: f64, y: f64, widths: &[f64], cells: &[String], face: Face) {
    let mut x = left;
    for (cell, w) in cells.iter().zip(widths) {
        c.text(face, TABLE_SIZE, x, y, BLACK, &fit(fonts, face, TABLE_SIZE, w - 6.0, cell));
        x += w;
    }
}

/// Each column as wide as its widest cell, narrowed in proportion when they do not fit.
fn column_widths(fonts: &Metrics, chart: &Chart, width: f64) -> Vec<f64> {
    let mut widths: Vec<f64> = chart
        .columns
        .iter()
        .enumerate()
        .map(|(i, head)| {
            let cells = chart.rows.iter().filter_map(|r| r.get(i));
            cells.map(|c| fonts.width(Face::Regular, c, TABLE_SIZE)).fold(fonts.width(Face::Bold, head, TABLE_SIZE), f64::max) + 18.0
        })
        .collect();
    let total: f64 = widths.iter().sum();
    if total > width {
        widths.iter_mut().for_each(|w| *w *= width / total);
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activity, MobilityScore, Moment, Spo2Reading};
    use crate::packet::canvas::Item;
    use crate::readings::{mobility_charts, spo2_chart};

    fn reading(t: &str, percent: f64, activity: Activity, oxygen_lpm: f64) -> Spo2Reading {
        Spo2Reading { at: Moment::parse(t).unwrap(), percent, activity, oxygen_lpm, pulse: None }
    }

    fn markers(pages: &[Canvas]) -> Vec<(Marker, bool)> {
        pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                Item::Marker { shape, filled, .. } => Some((*shape, *filled)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn no_readings_draw_no_pages() {
        assert!(charts(super::super::font::metrics(), &ReadingCharts::default()).is_empty());
    }

    #[test]
    fn rest_exertion_and_oxygen_are_told_apart_by_shape_and_fill() {
        let spo2 = spo2_chart(&[
            reading("2025-09-02T08:00", 86.0, Activity::Rest, 0.0),
            reading("2025-09-02T09:00", 84.0, Activity::Exertion, 0.0),
            reading("2025-09-02T10:00", 93.0, Activity::Exertion, 2.0),
        ]);
        let pages = charts(super::super::font::metrics(), &ReadingCharts { spo2, ..Default::default() });
        assert_eq!(pages.len(), 1);
        let m = markers(&pages);
        // The legend's five keys, then the three readings.
        assert_eq!(&m[m.len() - 3..], &[(Marker::Circle, true), (Marker::Triangle, true), (Marker::Triangle, false)]);
        let texts: Vec<&str> = pages[0].texts().collect();
        assert!(texts.contains(&"2 of 3 readings ≤ 88 %; lowest 84 % on exertion on room air, 2025-09-02"), "{texts:?}");
        assert!(texts.contains(&"88 % qualifying"));
        assert!(texts.contains(&"2 L/min"));
        assert!(pages[0].items.iter().any(|i| matches!(i, Item::Polyline { dash: Some(_), .. })), "the qualifying line is dashed");
    }

    #[test]
    fn one_point_or_equal_values_still_draw_an_axis_with_room() {
        for values in [vec![12.0], vec![0.0, 0.0], vec![5.0, 5.0, 5.0]] {
            let scores: Vec<MobilityScore> = values
                .iter()
                .enumerate()
                .map(|(i, v)| MobilityScore {
                    at: Moment::parse(&format!("2025-09-0{}", i + 1)).unwrap(),
                    instrument: "TUG".into(),
                    value: *v,
                    unit: "s".into(),
                })
                .collect();
            let chart = &mobility_charts(&scores)[0];
            let (lo, hi, step) = value_axis(chart);
            assert!(lo < values[0] && values[0] < hi && step > 0.0, "{values:?}: {lo} {hi} {step}");
            let (t0, t1) = time_domain(chart);
            assert!(t1 > t0);
            assert!(!time_ticks((t0, t1)).is_empty());
        }
    }

    #[test]
    fn a_long_table_continues_on_the_next_page_with_its_header() {
        let many: Vec<Spo2Reading> = (0..120)
            .map(|i| reading(&format!("2025-09-{:02}T{:02}:00", 1 + i / 24, i % 24), 85.0 + (i % 10) as f64, Activity::Rest, 0.0))
            .collect();
        let pages = charts(super::super::font::metrics(), &ReadingCharts { spo2: spo2_chart(&many), ..Default::default() });
        assert!(pages.len() >= 2);
        let heads = pages.iter().filter(|p| p.texts().any(|t| t == "Activity")).count();
        assert_eq!(heads, pages.len());
    }

    #[test]
    fn extreme_values_and_spans_draw_without_a_panic_or_a_non_number() {
        let score =
            |t: &str, v: f64| MobilityScore { at: Moment::parse(t).unwrap(), instrument: "Scale".into(), value: v, unit: String::new() };
        let cases = [
            vec![score("1900-01-01", -1e9), score("2100-12-31", 1e9)],
            vec![score("2025-09-02T08:00", 3.0), score("2025-09-02T08:00", 4.0)],
            vec![score("2025-09-02", 1e-6), score("2025-09-03", 2e-6)],
            vec![score("2025-09-02", 1e9), score("2025-09-03", 1e9 + 1e-7)],
        ];
        for scores in cases {
            let pages = charts(super::super::font::metrics(), &ReadingCharts { mobility: mobility_charts(&scores), ..Default::default() });
            for item in pages.iter().flat_map(|p| &p.items) {
                let finite = match item {
                    Item::Marker { x, y, .. } | Item::Text { x, y, .. } => x.is_finite() && y.is_finite(),
                    Item::Polyline { points, .. } => points.iter().all(|(x, y)| x.is_finite() && y.is_finite()),
                    _ => true,
                };
                assert!(finite, "{scores:?}: {item:?}");
            }
        }
    }
}
