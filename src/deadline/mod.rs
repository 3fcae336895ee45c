//! Deadline rules, calendar counting and per-case deadlines (being written).
