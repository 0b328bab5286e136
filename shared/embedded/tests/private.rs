//! The data folder is private: 0700 folders and 0600 files for the database, mails and blobs.

#![cfg(unix)]

use beseda_ports::{Blob, Mail, SystemClock};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        out.push(path.clone());
        if path.is_dir() {
            walk(&path, out);
        }
    }
}

#[tokio::test]
async fn every_folder_is_0700_and_every_file_0600() {
    let data = tempfile::tempdir().unwrap().keep().join("data");
    let e = beseda_embedded::open(&data, beseda_ports::queue::QUEUES, Arc::new(SystemClock)).unwrap();
    let mail =
        Mail { from: "a@x.ru".into(), to: vec!["b@x.ru".into()], subject: "s".into(), text: "t".into(), html: None };
    e.ports.mail.send(&mail).await.unwrap();
    let avatar = Blob { bytes: bytes::Bytes::from_static(b"png"), content_type: "image/png".into() };
    e.ports.blobs.put("users/u1/avatar", avatar).await.unwrap();
    beseda_embedded::private::write(&data.join("first-login.txt"), b"admin\npw\n").unwrap();
    assert_eq!(mode(&data), 0o700);
    let mut all = Vec::new();
    walk(&data, &mut all);
    assert!(all.len() >= 8, "{all:?}");
    for path in all {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), want, "{}", path.display());
    }
}
