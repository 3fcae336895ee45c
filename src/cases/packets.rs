//! The app's packet beyond one plain build: the destination profiles it offers (the built-ins
//! and the person's own, from `profiles.toml` beside the database, where `redress profiles`
//! looks too), what a build for one is expected to make, the files of a built packet (each
//! volume) and the fax preview.

use super::views::{EstimateView, PacketView, ProfileView, SectionView, VolumeView};
use crate::casefile::CaseFolder;
use crate::error::{Error, Result};
use crate::packet::{profile, BuildOptions, BuildReport};
use crate::store::Store;
use std::path::{Path, PathBuf};

/// The folder the app keeps packets in, beside the database.
pub fn packets_dir(store: &Store) -> PathBuf {
    store_dir(store).join("packets")
}

pub(super) fn store_dir(store: &Store) -> PathBuf {
    store.path().parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The person's own profiles: `profiles.toml` beside the database.
pub fn profiles_file(store: &Store) -> PathBuf {
    profile::user_file(&store_dir(store))
}

/// The profiles the build dialog offers: the built-ins, then the person's own. A broken
/// profiles file is an error naming the file, each key and what is wrong.
pub fn profiles(store: &Store) -> Result<Vec<ProfileView>> {
    let builtins = profile::builtins().len();
    let all = profile::all(Some(&profiles_file(store)))?;
    Ok(all
        .into_iter()
        .enumerate()
        .map(|(i, p)| ProfileView { enforces: p.enforces(), fax: p.fax, own: i >= builtins, name: p.name, description: p.description })
        .collect())
}

/// `opts` with the limits of the profile named (empty: `opts` as they are).
pub fn with_profile(store: &Store, name: &str, mut opts: BuildOptions) -> Result<BuildOptions> {
    if !name.is_empty() {
        profile::find_named(name, Some(&profiles_file(store)))?.apply(&mut opts);
    }
    Ok(opts)
}

pub use crate::packet::Estimate;

/// The pages and bytes a build of `folder` with `opts` is expected to make, and in how many
/// files: the app's one door to `packet::estimate`.
pub fn estimate(folder: &CaseFolder, opts: &BuildOptions) -> Result<Estimate> {
    crate::packet::estimate(folder, opts)
}

/// The estimate of case `folder` for the profile named, as the dialog shows it.
pub fn estimate_view(folder: &CaseFolder, profile: &str, opts: &BuildOptions) -> Result<EstimateView> {
    let e = estimate(folder, opts)?;
    Ok(EstimateView {
        profile: profile.to_string(),
        pages: e.pages as u32,
        bytes: e.bytes.min(u32::MAX as u64) as u32,
        volumes: e.volumes as u32,
    })
}

/// The app's view of a build's report: every file it wrote, its sections and warnings.
pub fn packet_view(r: &BuildReport, profile: &str, opts: &BuildOptions) -> PacketView {
    let volumes = r
        .volumes
        .iter()
        .map(|v| VolumeView {
            path: v.output.display().to_string(),
            name: v.output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            number: v.number as u32,
            of: v.of as u32,
            pages: v.pages as u32,
            first_page: v.first_page as u32,
            last_page: v.last_page as u32,
            bytes: v.bytes.min(u32::MAX as u64) as u32,
            sha256: v.sha256.clone(),
        })
        .collect();
    PacketView {
        path: r.output.display().to_string(),
        pages: r.pages as u32,
        bytes: r.bytes.min(u32::MAX as u64) as u32,
        sha256: r.sha256.clone(),
        sections: r
            .sections
            .iter()
            .map(|s| SectionView { kind: s.kind, title: s.title.clone(), first_page: s.first_page as u32, pages: s.pages as u32 })
            .collect(),
        warnings: r.warnings.clone(),
        built: opts.now.format("%Y-%m-%dT%H:%M").to_string(),
        volumes,
        profile: profile.to_string(),
    }
}

/// The files of a packet view, in order (one for a report written before volumes were).
fn files(v: &PacketView) -> Vec<PathBuf> {
    if v.volumes.is_empty() {
        vec![PathBuf::from(&v.path)]
    } else {
        v.volumes.iter().map(|x| PathBuf::from(&x.path)).collect()
    }
}

/// The case's last packet, when its report is there and every file it lists is in the
/// packets folder.
pub(super) fn last_packet(store: &Store, id: &str) -> Option<PacketView> {
    let text = crate::crypto::stream::read(&super::ops::report_path(store, id), file_key(store).as_ref()).ok()?;
    let v: PacketView = serde_json::from_slice(&text).ok()?;
    let dir = packets_dir(store);
    files(&v).iter().all(|f| f.parent() == Some(dir.as_path()) && f.is_file()).then_some(v)
}

/// File `number` (from 1) of the case's last packet.
pub fn volume_path(store: &Store, id: &str, number: u32) -> Result<PathBuf> {
    let v = last_packet(store, id).ok_or_else(|| Error::NoPacket { id: id.to_string() })?;
    let files = files(&v);
    let n = files.len();
    files.into_iter().nth((number as usize).wrapping_sub(1)).ok_or_else(|| {
        Error::Other(format!("the packet of case {id} has {n} file{}: there is no volume {number}", if n == 1 { "" } else { "s" }))
    })
}

/// Copies file `number` of the case's last packet to where the person chose, atomically
/// (decrypted: the person asked for a copy to send).
pub fn save_volume_as(store: &Store, id: &str, number: u32, dest: &Path) -> Result<String> {
    let src = volume_path(store, id, number)?;
    crate::crypto::stream::copy_atomically(&src, dest, file_key(store).as_ref(), None)?;
    Ok(dest.display().to_string())
}

/// The bytes of file `number` of the case's last packet (decrypted in an encrypted store):
/// what the app shows.
pub fn volume_bytes(store: &Store, id: &str, number: u32) -> Result<Vec<u8>> {
    let src = volume_path(store, id, number)?;
    crate::crypto::stream::read(&src, file_key(store).as_ref()).map_err(|e| Error::io(&src, e))
}

/// The bytes of the case's fax preview (decrypted in an encrypted store).
pub fn fax_preview_bytes(store: &Store, id: &str) -> Result<Vec<u8>> {
    let src = stored_case_path(store, id, fax_preview_path)?;
    crate::crypto::stream::read(&src, file_key(store).as_ref()).map_err(|e| Error::io(&src, e))
}

pub(super) fn file_key(store: &Store) -> Option<crate::crypto::FileKey> {
    store.key().map(|k| k.file_key())
}

/// Builds `folder` to `opts.out` in the packets folder. For a case of an encrypted store the
/// packet is built in the case's private working folder and each file written encrypted into
/// the packets folder (the working copy goes with the folder); the report names those.
pub(super) fn build_into_packets(folder: &CaseFolder, opts: &BuildOptions) -> Result<BuildReport> {
    let (Some(work), Some(out)) = (&folder.work, &opts.out) else {
        return crate::packet::build(folder, opts);
    };
    let (Some(dir), Some(name)) = (out.parent(), out.file_name()) else {
        return Err(Error::Other(format!("{}: not a file in a folder", out.display())));
    };
    let mut inside = opts.clone();
    inside.out = Some(work.path().join(name));
    let mut r = crate::packet::build(folder, &inside)?;
    let sealed = |built: &Path| -> Result<PathBuf> {
        let to = dir.join(built.file_name().unwrap_or(name));
        crate::crypto::stream::copy_atomically(built, &to, None, Some(work.key()))?;
        let _ = std::fs::remove_file(built);
        Ok(to)
    };
    let first = r.output.clone();
    for v in r.volumes.iter_mut() {
        v.output = sealed(&v.output)?;
    }
    r.output = if r.volumes.iter().any(|v| v.output.file_name() == first.file_name()) {
        dir.join(first.file_name().unwrap_or(name))
    } else {
        sealed(&first)?
    };
    let keep: Vec<PathBuf> = if r.volumes.len() > 1 { r.volumes.iter().map(|v| v.output.clone()).collect() } else { Vec::new() };
    crate::packet::remove_stale(out, &keep);
    Ok(r)
}

/// Where the fax preview of a case is written: beside its packet, never over it.
pub fn fax_preview_path(store: &Store, id: &str) -> PathBuf {
    packets_dir(store).join(format!("{id}-fax-preview.pdf"))
}

/// `path` (`fax_preview_path`, `packet_path`) of a stored case: an id that names no stored case
/// is refused, so an id the window sends (`../../x`) cannot lead to another file.
pub fn stored_case_path(store: &Store, id: &str, path: fn(&Store, &str) -> PathBuf) -> Result<PathBuf> {
    store.case_with_documents(id)?;
    Ok(path(store, id))
}

/// The options of a fax preview: the `fax` profile's, as one file (its page limit lifted, so
/// the whole fax can be paged through in one viewer), written to the preview's path.
pub fn fax_preview_options(store: &Store, id: &str, mut opts: BuildOptions) -> BuildOptions {
    if let Some(p) = profile::builtin("fax") {
        p.apply(&mut opts);
    }
    opts.max_pages = None;
    opts.out = Some(fax_preview_path(store, id));
    opts
}

/// Builds the fax preview of `folder` (options from [`fax_preview_options`]): nothing is
/// recorded, and the case's packet is left as it is.
pub fn build_fax_preview(folder: &CaseFolder, opts: &BuildOptions) -> Result<PacketView> {
    if let Some(dir) = opts.out.as_deref().and_then(Path::parent) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let r = build_into_packets(folder, opts)?;
    Ok(packet_view(&r, "fax", opts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{build, load_demo, Clock};
    use chrono::NaiveDate;

    fn clock() -> Clock {
        Clock { now: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap().and_hms_opt(9, 0, 0).unwrap(), tz: chrono_tz::America::Chicago }
    }

    fn options() -> BuildOptions {
        BuildOptions::new(clock().now, clock().now.and_utc(), clock().tz)
    }

    /// A fresh store in its own folder (removed when dropped).
    struct TempStore(PathBuf);
    impl Drop for TempStore {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    impl std::ops::Deref for TempStore {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    fn temp_store() -> (TempStore, Store) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!("redress-packets-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("redress.db")).unwrap();
        (TempStore(dir), store)
    }

    /// The demo case in `store`, by id.
    fn demo_case(store: &mut Store) -> String {
        let scratch = store.path().with_file_name("demo-source");
        load_demo(store, &scratch, clock()).unwrap().id
    }

    #[test]
    fn the_dialog_offers_the_builtins_then_the_persons_own() {
        let (dir, store) = temp_store();
        let names = |s: &Store| profiles(s).unwrap().into_iter().map(|p| (p.name, p.own)).collect::<Vec<_>>();
        assert_eq!(names(&store).len(), 5);
        std::fs::write(profiles_file(&store), "[profile.state-doi]\nmax_bytes = \"5MB\"\n").unwrap();
        let all = profiles(&store).unwrap();
        assert_eq!(
            (all[5].name.as_str(), all[5].own, all[5].enforces.clone()),
            ("state-doi", true, vec!["at most 5.0 MB a file".to_string(), "colour".into()])
        );
        assert!(all[2].fax && !all[2].own);
        let opts = with_profile(&store, "state-doi", options()).unwrap();
        assert_eq!(opts.max_bytes, Some(5_000_000));
        assert_eq!(with_profile(&store, "", options()).unwrap().max_bytes, None);
        let e = with_profile(&store, "nope", options()).err().unwrap();
        assert_eq!(e.to_string(), "no profile `nope` (the profiles are: portal-10mb, portal-60mb, fax, print, court-25mb, state-doi)");
        // A profile's name in the app is a name, never a path to read.
        assert!(matches!(with_profile(&store, "profiles.toml", options()), Err(Error::UnknownProfile { .. })));
        std::fs::write(profiles_file(&store), "[profile.x]\nmax_pages = 0\n").unwrap();
        let e = profiles(&store).err().unwrap();
        assert_eq!(e.to_string(), format!("{}: profile.x.max_pages: must be 1 or more, not 0", profiles_file(&store).display()));
        drop(dir);
    }

    #[test]
    fn the_estimate_counts_pages_and_files_for_the_limits() {
        let (_dir, mut store) = temp_store();
        let id = demo_case(&mut store);
        let folder = store.load(&id).unwrap();
        let plain = estimate(&folder, &options()).unwrap();
        let built = build(&mut store, &id, options()).unwrap();
        // Within a few pages of what the build makes.
        assert!((plain.pages as i64 - built.pages as i64).abs() <= 4, "estimated {} pages, built {}", plain.pages, built.pages);
        assert_eq!(plain.volumes, 1);
        let third = (plain.pages / 3).max(1);
        let split = estimate(&folder, &BuildOptions { max_pages: Some(third), ..options() }).unwrap();
        assert_eq!(split.volumes, plain.pages.div_ceil(third));
    }

    #[test]
    fn a_built_packets_files_are_listed_and_each_can_be_saved() {
        let (dir, mut store) = temp_store();
        let id = demo_case(&mut store);
        assert!(matches!(volume_path(&store, &id, 1), Err(Error::NoPacket { .. })));
        let v = build(&mut store, &id, options()).unwrap();
        assert_eq!(v.volumes.len(), 1);
        assert_eq!((v.volumes[0].number, v.volumes[0].of, v.volumes[0].pages), (1, 1, v.pages));
        assert_eq!(v.volumes[0].name, format!("{id}-packet.pdf"));
        assert_eq!(volume_path(&store, &id, 1).unwrap(), PathBuf::from(&v.path));
        assert_eq!(
            volume_path(&store, &id, 2).unwrap_err().to_string(),
            format!("the packet of case {id} has 1 file: there is no volume 2")
        );
        let copy = dir.join("copy.pdf");
        save_volume_as(&store, &id, 1, &copy).unwrap();
        assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&v.path).unwrap());
        // The fax preview is its own file: the packet is left as it was, and nothing recorded.
        let before = std::fs::read(&v.path).unwrap();
        let history = store.history(&id).unwrap().len();
        let opts = fax_preview_options(&store, &id, options());
        let preview = build_fax_preview(&store.load(&id).unwrap(), &opts).unwrap();
        assert_eq!(PathBuf::from(&preview.path), fax_preview_path(&store, &id));
        assert_eq!(stored_case_path(&store, &id, fax_preview_path).unwrap(), fax_preview_path(&store, &id));
        let escape = format!("../../{}", dir.file_name().unwrap().to_string_lossy());
        assert!(matches!(stored_case_path(&store, &escape, fax_preview_path), Err(Error::NoSuchCase { .. })));
        assert_eq!(std::fs::read(&v.path).unwrap(), before);
        assert_eq!(store.history(&id).unwrap().len(), history);
        assert_eq!(preview.profile, "fax");
        assert!(opts.fax && opts.max_pages.is_none());
        drop(dir);
    }
}
