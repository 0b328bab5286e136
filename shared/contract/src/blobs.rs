//! Cases for the blob port.

use beseda_ports::blob::{Blob, BlobError, BlobStore};
use std::sync::Arc;

pub struct Fixture {
    pub blobs: Arc<dyn BlobStore>,
}

pub async fn put_get_delete(f: Fixture) {
    let b = &f.blobs;
    let png = bytes::Bytes::from_static(b"\x89PNG\r\n\x1a\n....");
    assert_eq!(b.get("p1/avatars/u1.png").await.unwrap(), None);
    b.put("p1/avatars/u1.png", Blob { bytes: png.clone(), content_type: "image/png".into() }).await.unwrap();
    let got = b.get("p1/avatars/u1.png").await.unwrap().expect("stored");
    assert_eq!(got.bytes, png);
    assert_eq!(got.content_type, "image/png");
    b.put("p1/avatars/u1.png", Blob { bytes: "v2".into(), content_type: "text/plain".into() }).await.unwrap();
    assert_eq!(b.get("p1/avatars/u1.png").await.unwrap().unwrap().bytes, "v2");
    b.delete("p1/avatars/u1.png").await.unwrap();
    assert_eq!(b.get("p1/avatars/u1.png").await.unwrap(), None);
    b.delete("p1/avatars/u1.png").await.unwrap();
}

pub async fn refuses_bad_keys(f: Fixture) {
    let blob = Blob { bytes: "x".into(), content_type: "text/plain".into() };
    for key in ["../etc/passwd", "/abs", "p1/.types/x"] {
        assert!(matches!(f.blobs.put(key, blob.clone()).await, Err(BlobError::BadKey(_))), "{key}");
        assert!(matches!(f.blobs.get(key).await, Err(BlobError::BadKey(_))), "{key}");
    }
}
