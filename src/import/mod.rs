//! Opens exhibit files (PDF, images, text) and turns them into pages to place.

pub mod image;
