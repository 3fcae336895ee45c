//! The demo case and the document generators that tests share (being written).
