//! Hand-worked cases: one per service.
