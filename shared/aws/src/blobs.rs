//! The blob port on S3: one bucket, the port's keys as object keys (checked with
//! `beseda_ports::blob::check_key` before any call), the content type kept as the object's.

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use beseda_ports::blob::{Blob, BlobError, BlobStore, check_key};

fn backend(e: impl std::error::Error) -> BlobError {
    BlobError::Backend(DisplayErrorContext(e).to_string())
}

pub struct S3Blobs {
    client: Client,
    bucket: String,
}

impl S3Blobs {
    pub fn new(client: Client, bucket: impl Into<String>) -> Self {
        Self { client, bucket: bucket.into() }
    }

    /// An S3 client for `config`. Against a local endpoint (`AWS_ENDPOINT_URL`, or
    /// `AWS_ENDPOINT_URL_S3`) it addresses buckets by path, as loopback has no bucket hosts.
    pub fn client(config: &SdkConfig) -> Client {
        let local = config.endpoint_url().is_some() || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        Client::from_conf(aws_sdk_s3::config::Builder::from(config).force_path_style(local).build())
    }

    /// Creates the bucket in the client's region; a bucket this account owns already is fine.
    pub async fn create_bucket(client: &Client, name: &str) -> Result<(), BlobError> {
        let mut request = client.create_bucket().bucket(name);
        if let Some(region) = client.config().region().map(|r| r.as_ref().to_owned()) {
            // us-east-1 is the one region that takes no location constraint.
            if region != "us-east-1" {
                request = request.create_bucket_configuration(
                    CreateBucketConfiguration::builder()
                        .location_constraint(BucketLocationConstraint::from(region.as_str()))
                        .build(),
                );
            }
        }
        match request.send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_bucket_already_owned_by_you()) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }
}

#[async_trait]
impl BlobStore for S3Blobs {
    async fn put(&self, key: &str, blob: Blob) -> Result<(), BlobError> {
        check_key(key)?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(blob.content_type)
            .body(ByteStream::from(blob.bytes))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        check_key(key)?;
        let out = match self.client.get_object().bucket(&self.bucket).key(key).send().await {
            Ok(out) => out,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_key()) => {
                return Ok(None);
            }
            Err(e) => return Err(backend(e)),
        };
        let content_type = out.content_type.unwrap_or_else(|| "application/octet-stream".into());
        let bytes = out.body.collect().await.map_err(backend)?.into_bytes();
        Ok(Some(Blob { bytes, content_type }))
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        check_key(key)?;
        self.client.delete_object().bucket(&self.bucket).key(key).send().await.map_err(backend)?;
        Ok(())
    }
}
