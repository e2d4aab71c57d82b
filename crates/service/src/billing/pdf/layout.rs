//! The page layout under the invoice and receipt PDFs: the embedded fonts, text widths and
//! wrapping, the drawing operations of a page, and the document written with krilla.

use std::sync::LazyLock;

use anyhow::Context as _;
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider as _;
use skrifa::instance::{LocationRef, Size};

use super::*;

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

static FONTS: LazyLock<Option<(Font, Font)>> =
    LazyLock::new(|| Some((Font::new(REGULAR.into(), 0)?, Font::new(BOLD.into(), 0)?)));

/// The width of `text` at `size` points.
pub(super) fn width(bold: bool, size: f32, text: &str) -> f32 {
    let data = if bold { BOLD } else { REGULAR };
    let Ok(font) = skrifa::FontRef::new(data) else {
        return 0.0;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.5)
        })
        .sum()
}

/// Words wrapped to lines no wider than `max`.
pub(super) fn wrap(size: f32, text: &str, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && width(false, size, &candidate) > max {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub(super) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
        text: String,
    },
    Rule {
        y: f32,
    },
    Band {
        y: f32,
        h: f32,
    },
}

/// Lays out pages as lists of drawing operations, then renders them (the page count is known
/// for « page 1 sur 2 »).
pub(super) struct Layout {
    pub(super) pages: Vec<Vec<Op>>,
    pub(super) y: f32,
}

impl Layout {
    pub(super) fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    pub(super) fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len().saturating_sub(1);
        &mut self.pages[last]
    }

    pub(super) fn text(&mut self, x: f32, size: f32, bold: bool, text: impl Into<String>) {
        let y = self.y;
        self.ops().push(Op::Text {
            x,
            y,
            size,
            bold,
            color: (31, 41, 51),
            text: text.into(),
        });
    }

    pub(super) fn colored(
        &mut self,
        x: f32,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
        text: &str,
    ) {
        let y = self.y;
        self.ops().push(Op::Text {
            x,
            y,
            size,
            bold,
            color,
            text: text.to_owned(),
        });
    }

    pub(super) fn right(&mut self, right_x: f32, size: f32, bold: bool, text: &str) {
        let x = right_x - width(bold, size, text);
        self.text(x, size, bold, text);
    }

    pub(super) fn rule(&mut self) {
        let y = self.y;
        self.ops().push(Op::Rule { y });
    }

    pub(super) fn band(&mut self, h: f32) {
        let y = self.y;
        self.ops().push(Op::Band { y, h });
    }

    /// Starts a new page (a document of several certificates: one each).
    pub(super) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Moves down, starting a new page (with the table's header again) when needed.
    pub(super) fn down(&mut self, dy: f32, header: Option<&dyn Fn(&mut Layout)>) {
        self.y += dy;
        if self.y > BOTTOM {
            self.pages.push(Vec::new());
            self.y = MARGIN + 10.0;
            if let Some(header) = header {
                header(self);
            }
        }
    }
}

// The table's columns (x of the left edge, or of the right edge for numbers).

/// Renders laid-out pages: `title` in the metadata, `footer` on every page with « page N sur M ».
pub(super) fn write(l: &Layout, title: &str, footer: &str) -> anyhow::Result<Vec<u8>> {
    let (regular, bold) = FONTS.as_ref().context("the embedded fonts")?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("fr-FR".to_owned())
            .creator("Portail Famille".to_owned()),
    );
    let count = l.pages.len();
    for (index, ops) in l.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).context("A4")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold: is_bold,
                    color,
                    text,
                } => {
                    surface.set_fill(Some(Fill {
                        paint: rgb::Color::new(color.0, color.1, color.2).into(),
                        ..Fill::default()
                    }));
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        if *is_bold {
                            bold.clone()
                        } else {
                            regular.clone()
                        },
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Rule { y } => {
                    let mut path = PathBuilder::new();
                    path.move_to(MARGIN, *y);
                    path.line_to(WIDTH - MARGIN, *y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(160, 170, 180).into(),
                            width: 0.6,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Band { y, h } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(MARGIN, *y, WIDTH - 2.0 * MARGIN, *h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(Fill {
                            paint: rgb::Color::new(229, 236, 244).into(),
                            ..Fill::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        let footer = format!("{footer} — page {} sur {count}", index.saturating_add(1));
        surface.set_fill(Some(Fill {
            paint: rgb::Color::new(90, 100, 110).into(),
            ..Fill::default()
        }));
        surface.draw_text(
            Point::from_xy(WIDTH - MARGIN - width(false, 7.5, &footer), HEIGHT - 30.0),
            regular.clone(),
            7.5,
            &footer,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| anyhow::anyhow!("the PDF could not be written: {e:?}"))
}
