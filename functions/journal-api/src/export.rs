//! The journal's exports, read from the table a page at a time so a project with 100,000
//! requests never holds them all: a CSV streamed to the client page by page, and an Excel
//! workbook written row by row in rust_xlsxwriter's constant-memory mode to a temporary file
//! that is then streamed.

use super::Chunk;
use axum::body::Bytes;
use beseda_domain::accounts::Language;
use beseda_domain::journal::{self, Filter, Lead};
use beseda_domain::{App, Error};
use beseda_http::error::ApiError;
use chrono::{Datelike, Timelike};
use futures::Stream;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// How many leads one read brings.
const PAGE: usize = 500;

/// What to export.
pub struct Source {
    pub app: App,
    pub project_id: String,
    pub timezone: String,
    pub filter: Filter,
    pub lang: Language,
}

impl Source {
    async fn page(&self, cursor: Option<&str>) -> Result<(Vec<Lead>, Option<String>), Error> {
        journal::find(&self.app, &self.project_id, &self.timezone, &self.filter, PAGE, cursor).await
    }
}

enum Step {
    Header,
    Page(Option<String>),
    Done,
}

fn csv_bytes(rows: impl IntoIterator<Item = Vec<String>>) -> Result<Bytes, std::io::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(&row)?;
    }
    w.into_inner().map(Bytes::from).map_err(|e| std::io::Error::other(e.to_string()))
}

/// The CSV, a page of the journal per chunk; a failure midway ends the body early.
pub fn csv(source: Source) -> impl Stream<Item = Chunk> {
    futures::stream::unfold((source, Step::Header), |(source, step)| async move {
        match step {
            Step::Header => {
                let header = journal::export_header(source.lang).map(str::to_owned).to_vec();
                let chunk = csv_bytes([header]).map(|b| Bytes::from([&b"\xEF\xBB\xBF"[..], &b[..]].concat()));
                Some((chunk, (source, Step::Page(None))))
            }
            Step::Page(cursor) => match source.page(cursor.as_deref()).await {
                Ok((leads, next)) => {
                    let chunk = csv_bytes(leads.iter().map(|l| journal::export_row(l, source.lang).to_vec()));
                    Some((chunk, (source, next.map_or(Step::Done, |c| Step::Page(Some(c))))))
                }
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), (source, Step::Done))),
            },
            Step::Done => None,
        }
    })
}

fn xlsx_error(e: XlsxError) -> ApiError {
    ApiError::Domain(Error::Internal(format!("xlsx: {e}")))
}

/// The workbook: written to a temporary file with constant memory, then streamed from it
/// (the file is unlinked at once; the open handle keeps it until the body is sent).
pub async fn xlsx(source: Source) -> Result<impl Stream<Item = Chunk>, ApiError> {
    let tz: chrono_tz::Tz = source.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let when = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let header = journal::export_header(source.lang);
    {
        let sheet = workbook.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
        sheet.set_name(if source.lang == Language::Ru { "Журнал" } else { "Journal" }).map_err(xlsx_error)?;
        for (col, width) in [16, 16, 22, 16, 24, 48, 32, 12, 18, 14, 38, 38].into_iter().enumerate() {
            sheet.set_column_width(col as u16, width).map_err(xlsx_error)?;
        }
        for (col, title) in header.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *title, &bold).map_err(xlsx_error)?;
        }
    }
    let mut row: u32 = 1;
    let mut cursor: Option<String> = None;
    loop {
        let (leads, next) = source.page(cursor.as_deref()).await?;
        let sheet = workbook.worksheet_from_index(0).map_err(xlsx_error)?;
        for lead in &leads {
            let local = lead.at.with_timezone(&tz);
            let at = ExcelDateTime::from_ymd(local.year() as u16, local.month() as u8, local.day() as u8)
                .and_then(|d| d.and_hms(local.hour() as u16, local.minute() as u8, local.second() as f64))
                .map_err(xlsx_error)?;
            sheet.write_datetime_with_format(row, 0, &at, &when).map_err(xlsx_error)?;
            for (col, value) in journal::export_row(lead, source.lang).into_iter().enumerate().skip(1) {
                if col == 9
                    && let Ok(secs) = value.parse::<f64>()
                {
                    sheet.write_number(row, col as u16, secs).map_err(xlsx_error)?;
                } else if !value.is_empty() {
                    sheet.write_string(row, col as u16, value).map_err(xlsx_error)?;
                }
            }
            row += 1;
        }
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let file = tempfile::NamedTempFile::new().map_err(|e| Error::Internal(e.to_string()))?;
    workbook.save(file.path()).map_err(xlsx_error)?;
    let opened = tokio::fs::File::open(file.path()).await.map_err(|e| Error::Internal(e.to_string()))?;
    drop(file);
    Ok(tokio_util::io::ReaderStream::new(opened))
}
