//! The packet: plan, render, merge, stamp, write.
use crate::casefile::CaseFolder;
use crate::error::Result;
use std::path::PathBuf;

#[derive(Debug, Default, Clone)]
pub struct BuildOptions {
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
}

pub fn build(_folder: &CaseFolder, _opts: &BuildOptions) -> Result<BuildReport> {
    Err(crate::Error::Other("not yet".into()))
}
