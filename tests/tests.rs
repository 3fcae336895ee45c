//! The integration tests: one binary, a module per area. They run the real `redress` binary
//! and check its packets with independent tools (qpdf, poppler).

mod util;

mod aspect;
mod backup;
mod bad_inputs;
mod budget;
mod charts;
mod checklist;
mod citations;
mod claims;
mod cli;
mod corpus;
mod crypt;
mod deadlines;
mod durable;
mod fax;
mod letters;
mod limits;
mod missed;
mod mutations;
mod notice_formats;
mod notices;
mod ocr;
mod packet;
mod photos;
mod placement;
mod privacy;
mod profiles;
mod rebuild;
mod store;
mod unlock;
mod volumes;
