//! Article attributes, sets of articles and saved searches: defining them,
//! setting an article's values, putting articles into sets, and finding the
//! articles a filter selects (search's `attr:` and `set:`). Every change is
//! logged: a definition (with every value of it) as an `attribute` entity, an
//! article's values as part of the article, a set with its members as a `set`,
//! a saved search as a `search`.

use dossier_model::attributes::{self as model, ArticleFilter};
use dossier_model::{
    ArticleSet, AttributeDef, AttributeType, AttributeValue, EntityKind, Error, ErrorCode, Result,
    SavedSearch,
};
use dossier_store::attributes::{self, StoredValue};
use dossier_store::{articles, sets, Connection};

use crate::Notebook;

fn existing(c: &Connection, name: &str) -> Result<AttributeDef> {
    attributes::def(c, name)?.ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!(
                "there is no attribute '{}'; define it first (attribute define NAME --type text|number|date|choice)",
                model::shorten_name(name)
            ),
        )
    })
}

impl Notebook {
    /// Every attribute the notebook defines, in the order they were defined.
    pub fn attributes(&self) -> Result<Vec<AttributeDef>> {
        self.core.store.read(attributes::defs)
    }

    /// Defines an attribute; a `choice` attribute needs its choices.
    pub fn define_attribute(
        &self,
        name: &str,
        kind: AttributeType,
        choices: &[String],
    ) -> Result<AttributeDef> {
        let def = AttributeDef {
            name: model::valid_name(name)?,
            kind,
            choices: model::valid_choices(kind, choices)?,
            used_by: 0,
        };
        self.logged(EntityKind::Attribute, &def.name, "add", |c| {
            attributes::define(c, &def, None)
        })?;
        Ok(def)
    }

    /// Removes an attribute with every article's value of it (undo puts them back).
    pub fn delete_attribute(&self, name: &str) -> Result<()> {
        let def = self.core.store.read(|c| existing(c, name))?;
        // Not `delete`: an attribute does not go to the trash; undo restores it.
        self.logged(EntityKind::Attribute, &def.name, "remove", |c| {
            attributes::undefine(c, &def.name)
        })?;
        Ok(())
    }

    /// An article's attribute values, in the attributes' order.
    pub fn article_attributes(&self, article_id: &str) -> Result<Vec<AttributeValue>> {
        self.core.store.read(|c| {
            if articles::get(c, article_id)?.is_none() {
                return Err(Error::not_found("article", article_id));
            }
            attributes::values_of(c, article_id)
        })
    }

    /// Sets an article's value of an attribute (validated by its type), or
    /// clears it with `None`. Returns the article's values.
    pub fn set_article_attribute(
        &self,
        article_id: &str,
        name: &str,
        value: Option<&str>,
    ) -> Result<Vec<AttributeValue>> {
        let (def, normalized) = self.core.store.read(|c| {
            if articles::get(c, article_id)?.is_none() {
                return Err(Error::not_found("article", article_id));
            }
            let def = existing(c, name)?;
            let normalized = value.map(|v| def.normalize(v)).transpose()?;
            Ok((def, normalized))
        })?;
        self.logged(
            EntityKind::Article,
            article_id,
            "edit",
            |c| match &normalized {
                Some(n) => attributes::put(
                    c,
                    &StoredValue {
                        article_id: article_id.to_string(),
                        name: def.name.clone(),
                        value: n.text.clone(),
                        low: n.low,
                        high: n.high,
                    },
                ),
                None => attributes::clear(c, article_id, &def.name).map(drop),
            },
        )?;
        self.article_attributes(article_id)
    }

    /// The ids of the articles `filter` (search's `attr:NAME…` or `set:NAME`) selects, sorted.
    pub fn articles_where(&self, filter: &ArticleFilter) -> Result<Vec<String>> {
        self.core.store.read(|c| match filter {
            ArticleFilter::Attribute(f) => {
                let def = existing(c, &f.name)?;
                let condition = f.condition(&def)?;
                attributes::articles_where(c, &def.name, &condition)
            }
            ArticleFilter::Set(name) => {
                let set = existing_set(c, name)?;
                sets::members(c, &set.name)
            }
        })
    }

    /// Every set of articles, in the order they were made.
    pub fn sets(&self) -> Result<Vec<ArticleSet>> {
        self.core.store.read(sets::list)
    }

    /// Makes an empty set.
    pub fn create_set(&self, name: &str, description: &str) -> Result<ArticleSet> {
        let name = model::valid_name(name)?;
        let description = description.trim();
        if description.chars().count() > model::MAX_DESCRIPTION_CHARS {
            return Err(Error::invalid(format!(
                "a set's description holds at most {} characters",
                model::MAX_DESCRIPTION_CHARS
            )));
        }
        self.logged(EntityKind::Set, &name, "add", |c| {
            sets::create(c, &name, description, None)
        })?;
        self.set(&name)
    }

    /// One set.
    pub fn set(&self, name: &str) -> Result<ArticleSet> {
        self.core.store.read(|c| existing_set(c, name))
    }

    /// The ids of a set's articles.
    pub fn set_members(&self, name: &str) -> Result<Vec<String>> {
        self.articles_where(&ArticleFilter::Set(name.to_string()))
    }

    /// Removes a set; its articles stay (undo brings the set back with them).
    pub fn delete_set(&self, name: &str) -> Result<()> {
        let set = self.set(name)?;
        self.logged(EntityKind::Set, &set.name, "remove", |c| {
            sets::delete(c, &set.name)
        })?;
        Ok(())
    }

    /// Every article's value of one attribute (the library shows it as a column).
    pub fn attribute_values(&self, name: &str) -> Result<Vec<model::ArticleValue>> {
        self.core.store.read(|c| {
            let def = existing(c, name)?;
            Ok(attributes::stored_of_attribute(c, &def.name)?
                .into_iter()
                .map(|v| model::ArticleValue {
                    article_id: v.article_id,
                    value: v.value,
                    low: v.low,
                })
                .collect())
        })
    }

    /// Writes a set's memo (its description, Markdown: why these articles
    /// belong together); empty removes it. Undoable.
    pub fn set_set_memo(&self, name: &str, memo: &str) -> Result<ArticleSet> {
        let set = self.set(name)?;
        let memo = memo.trim();
        if memo.chars().count() > model::MAX_DESCRIPTION_CHARS {
            return Err(Error::invalid(format!(
                "a set's memo holds at most {} characters",
                model::MAX_DESCRIPTION_CHARS
            )));
        }
        self.logged(EntityKind::Set, &set.name, "edit", |c| {
            sets::describe(c, &set.name, memo)?;
            Ok(())
        })?;
        self.set(&set.name)
    }

    /// Puts articles into a set (or, with `remove`, takes them out), as one
    /// undoable change. Every id must be an article.
    pub fn put_in_set(
        &self,
        name: &str,
        article_ids: &[String],
        remove: bool,
    ) -> Result<ArticleSet> {
        let set = self.set(name)?;
        if article_ids.len() > dossier_model::limits::MAX_BATCH_IDS {
            return Err(Error::invalid(format!(
                "at most {} articles at a time",
                dossier_model::limits::MAX_BATCH_IDS
            )));
        }
        self.logged(EntityKind::Set, &set.name, "edit", |c| {
            if remove {
                sets::remove(c, &set.name, article_ids)
            } else {
                sets::add(c, &set.name, article_ids)
            }
        })?;
        self.set(&set.name)
    }

    /// The sets an article is in.
    pub fn article_sets(&self, article_id: &str) -> Result<Vec<String>> {
        self.core.store.read(|c| {
            if articles::get(c, article_id)?.is_none() {
                return Err(Error::not_found("article", article_id));
            }
            sets::of_article(c, article_id)
        })
    }

    /// Every saved search, in the order they were saved.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        self.core.store.read(sets::saved)
    }

    /// Saves a search under a name (a name in use gets the new query).
    pub fn save_search(&self, name: &str, query: &str) -> Result<SavedSearch> {
        let search = SavedSearch {
            name: model::valid_name(name)?,
            query: query.trim().to_string(),
        };
        if search.query.is_empty()
            || search.query.chars().count() > dossier_model::limits::MAX_QUERY_CHARS
        {
            return Err(Error::invalid(format!(
                "a saved search needs a query of 1 to {} characters",
                dossier_model::limits::MAX_QUERY_CHARS
            )));
        }
        let existing = self.core.store.read(|c| sets::saved_one(c, &search.name))?;
        let action = if existing.is_some() { "edit" } else { "add" };
        let stored_name = existing.map_or_else(|| search.name.clone(), |(s, _)| s.name);
        self.logged(EntityKind::SavedSearch, &stored_name, action, |c| {
            sets::save(c, &search, None)
        })?;
        Ok(SavedSearch {
            name: stored_name,
            query: search.query,
        })
    }

    /// Removes a saved search.
    pub fn delete_saved_search(&self, name: &str) -> Result<()> {
        let Some((search, _)) = self.core.store.read(|c| sets::saved_one(c, name))? else {
            return Err(Error::new(
                ErrorCode::NotFound,
                format!("there is no saved search '{}'", model::shorten_name(name)),
            ));
        };
        self.logged(EntityKind::SavedSearch, &search.name, "remove", |c| {
            sets::unsave(c, &search.name)
        })?;
        Ok(())
    }
}

fn existing_set(c: &Connection, name: &str) -> Result<ArticleSet> {
    sets::get(c, name)?.ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!(
                "there is no set '{}'; make it first (set add NAME)",
                model::shorten_name(name)
            ),
        )
    })
}

/// The most claims one matrix cell lists.
pub const MAX_CELL_CLAIMS: usize = 1_000;

impl Notebook {
    /// Claims counted by two dimensions (`code` × `attr:country`, code × code…),
    /// each cell split by stance and verdict.
    pub fn matrix(
        &self,
        rows: &dossier_model::matrix::Axis,
        cols: &dossier_model::matrix::Axis,
    ) -> Result<dossier_model::matrix::Matrix> {
        self.core.store.read(|c| {
            for axis in [rows, cols] {
                if let Some(name) = &axis.name {
                    existing(c, name)?;
                }
            }
            dossier_store::matrix::build(c, rows, cols)
        })
    }

    /// The claims in one cell of a matrix (at most 1 000), by id.
    pub fn matrix_cell(
        &self,
        rows: &dossier_model::matrix::Axis,
        cols: &dossier_model::matrix::Axis,
        row_label: &str,
        col_label: &str,
    ) -> Result<Vec<dossier_model::Claim>> {
        self.core.store.read(|c| {
            let ids =
                dossier_store::matrix::cell(c, rows, cols, row_label, col_label, MAX_CELL_CLAIMS)?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.extend(dossier_store::claims::get(c, &id)?);
            }
            Ok(out)
        })
    }
}

impl Notebook {
    /// Writes a matrix as CSV (one row per cell with its splits) to `out`.
    pub fn export_matrix(
        &self,
        rows: &dossier_model::matrix::Axis,
        cols: &dossier_model::matrix::Axis,
        out: &std::path::Path,
    ) -> Result<()> {
        let m = self.matrix(rows, cols)?;
        crate::exporting::write_file(out, &dossier_export::chart::matrix_csv(&m)?)
    }

    /// Writes a chart the window drew: an SVG that is only a drawing, or a PNG
    /// (base64), to `out`.
    pub fn save_chart(
        &self,
        out: &std::path::Path,
        format: dossier_model::matrix::ChartFormat,
        content: &str,
    ) -> Result<()> {
        use base64::Engine as _;
        use dossier_model::matrix::ChartFormat;
        let bytes = match format {
            ChartFormat::Svg => {
                dossier_export::chart::check_svg(content)?;
                content.as_bytes().to_vec()
            }
            ChartFormat::Png => {
                if content.len() > dossier_export::chart::MAX_CHART_BYTES * 2 {
                    return Err(Error::invalid("the chart is too large to save"));
                }
                let data = content
                    .strip_prefix("data:image/png;base64,")
                    .unwrap_or(content);
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(data.trim())
                    .map_err(|_| Error::invalid("not saved: the chart is not base64 PNG data"))?;
                dossier_export::chart::check_png(&bytes)?;
                bytes
            }
        };
        crate::exporting::write_file(out, &bytes)
    }
}
